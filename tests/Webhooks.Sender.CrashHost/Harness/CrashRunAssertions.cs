using FluentAssertions;

namespace Webhooks.Sender.CrashHost.Harness;

/// <summary>The checks every store's crash test makes on a <see cref="CrashRunResult"/>.</summary>
public static class CrashRunAssertions
{
    /// <summary>
    /// The host was killed mid-run, the restarted host finished, every message arrived at least once with a valid
    /// signature, and no more were sent twice than could be in flight at the kill.
    /// </summary>
    public static void ShouldBeCompleteWithBoundedDuplicates(this CrashRunResult result, CrashScenario scenario)
    {
        result.DistinctAtKill.Should().BeInRange(scenario.KillAfter, scenario.Messages - 1, "the host was killed in the middle of the run\n" + result.Log);
        result.SecondRunExitCode.Should().Be(0, result.Log);
        result.Missing.Should().BeEmpty("every message arrives at least once");
        result.Distinct.Should().Be(scenario.Messages);
        result.Unverified.Should().Be(0);
        result.Duplicates.Should().BeLessThanOrEqualTo(scenario.MaxDuplicates, "only what was in flight at the kill is sent twice");
    }
}
