using Webhooks.Core;

namespace Webhooks.Sender.CrashHost.Harness;

/// <summary>What a crash run saw at the receiver.</summary>
/// <param name="Published">How many messages the first host published.</param>
/// <param name="DistinctAtKill">How many distinct messages had arrived when the first host was killed.</param>
/// <param name="Arrivals">All requests, duplicates included.</param>
/// <param name="Distinct">Distinct <c>webhook-id</c> values.</param>
/// <param name="BySequence">Requests per event sequence number.</param>
/// <param name="Unverified">Requests whose signature did not verify.</param>
/// <param name="SecondRunExitCode">The restarted host's exit code (0: it saw no unfinished delivery left).</param>
/// <param name="Log">Both hosts' output, for failure messages.</param>
public sealed record CrashRunResult(
    int Published,
    int DistinctAtKill,
    int Arrivals,
    int Distinct,
    IReadOnlyDictionary<int, int> BySequence,
    int Unverified,
    int SecondRunExitCode,
    string Log)
{
    /// <summary>Gets the requests beyond the first for each message.</summary>
    public int Duplicates => Arrivals - Distinct;

    /// <summary>Gets the sequence numbers that never arrived.</summary>
    public IReadOnlyList<int> Missing => [.. Enumerable.Range(0, Published).Where(i => !BySequence.ContainsKey(i))];
}

/// <summary>
/// The crash test, for any store the crash host can open: publish N messages to a loopback receiver, SIGKILL the host
/// once <see cref="KillAfter"/> have arrived (the receiver then holds its answers, so the kill always lands mid-run
/// with the running attempts in flight), start it again on the same store (publishing nothing), and wait until it reports that no
/// delivery is left unfinished. Bounded by <see cref="Timeout"/>: it fails rather than hangs.
/// </summary>
public sealed class CrashScenario
{
    /// <summary>Gets the store argument: <c>sqlite</c> or <c>postgres</c>.</summary>
    public required string Store { get; init; }

    /// <summary>Gets the store's connection string.</summary>
    public required string Connection { get; init; }

    public int Messages { get; init; } = 300;

    /// <summary>Gets how many distinct messages must have arrived before the kill.</summary>
    public int KillAfter { get; init; } = 100;

    public int BatchSize { get; init; } = 8;

    public int Concurrency { get; init; } = 8;

    /// <summary>
    /// Gets the lease (the host's attempt timeout is one second less). Long enough that the requests held at the
    /// receiver do not time out and get retried before the kill on a loaded machine; the restarted host waits it out.
    /// </summary>
    public int LeaseSeconds { get; init; } = 5;

    /// <summary>
    /// Gets the bound on the whole run: a safety net, not a schedule. A quiet machine needs about 10 s; two processes
    /// starting and sending under heavy CPU contention were seen to take 60 s, so the bound is well above that.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Gets the most duplicates a crash may cause: what can be in flight (running attempts plus a claimed batch).</summary>
    public int MaxDuplicates => Concurrency + BatchSize;

    public async Task<CrashRunResult> RunAsync()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = await CrashReceiver.StartAsync(secret);
        using var timeout = new CancellationTokenSource(Timeout);
        string[] common =
        [
            "--store", Store, "--connection", Connection,
            "--batch", $"{BatchSize}", "--concurrency", $"{Concurrency}", "--lease-seconds", $"{LeaseSeconds}",
            "--max-seconds", $"{(int)Timeout.TotalSeconds}",
        ];

        int distinctAtKill;
        string log;
        receiver.HoldAfter(KillAfter);
        await using (var first = CrashHostProcess.Start([.. common, "--url", receiver.Url, "--publish", $"{Messages}"], secret))
        {
            try
            {
                await first.WaitForLineAsync(CrashHostProtocol.Published, timeout.Token);
                await receiver.WaitForDistinctAsync(KillAfter, timeout.Token);
            }
            catch (OperationCanceledException ex)
            {
                throw new TimeoutException($"The first crash host did not deliver {KillAfter} messages within {Timeout}. Its output:\n{first.Log}", ex);
            }

            await first.KillAsync();
            distinctAtKill = receiver.Distinct;
            log = "first host:\n" + first.Log;
        }

        receiver.Release();
        await using var second = CrashHostProcess.Start(common, secret);
        int exitCode;
        try
        {
            exitCode = await second.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"The restarted crash host did not finish within {Timeout}. Its output:\n{second.Log}", ex);
        }

        return new CrashRunResult(
            Messages, distinctAtKill, receiver.Arrivals, receiver.Distinct, receiver.BySequence, receiver.Unverified, exitCode, log + "second host:\n" + second.Log);
    }
}
