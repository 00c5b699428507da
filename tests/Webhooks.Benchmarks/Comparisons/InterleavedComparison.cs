using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Octokit.Webhooks;
using Stripe;
using Webhooks.Core.Schemes;

namespace Webhooks.Benchmarks.Comparisons;

/// <summary>
/// The provider-scheme comparisons measured the way a shared machine allows: every candidate runs a short loop in turn,
/// round after round, and keeps its fastest round (other processes only ever add time), so all of them see the same
/// machine state. Run with <c>dotnet run -c Release --project tests/Webhooks.Benchmarks -- --interleaved-schemes</c>.
/// </summary>
internal static class InterleavedComparison
{
    private const int Rounds = 300;

    public static void Run(TextWriter output)
    {
        output.WriteLine("| scheme | body | candidate | min ns/op | ratio to floor | allocated B/op |");
        output.WriteLine("|---|---:|---|---:|---:|---:|");
        foreach (var size in (int[])[1024, 65536])
        {
            var f = new ComparisonFixture(size);
            var mac = new byte[32];
            Report(output, "GitHub", size, Measure(size, [
                ("floor: HMACSHA256.HashData(key, body)", () => HMACSHA256.HashData(f.Key, f.Body, mac)),
                ("ours: GitHubWebhookSignature.Verify", () => GitHubWebhookSignature.Verify(f.Body, f.GitHubHeader, f.Secrets)),
                ("Octokit.Webhooks 4.2.3 from bytes (as MapGitHubWebhooks)", () => WebhookSignatureValidator.Verify(f.GitHubHeader, ComparisonFixture.Secret, f.Body)),
                ("Octokit.Webhooks 4.2.3 from a string", () => WebhookSignatureValidator.Verify(f.GitHubHeader, ComparisonFixture.Secret, f.BodyString)),
            ]));
            Report(output, "Stripe", size, Measure(size, [
                ("floor: HMACSHA256.HashData(key, t.body)", () => HMACSHA256.HashData(f.Key, f.StripeSignedContent, mac)),
                ("ours: StripeWebhookSignature.Verify", () => StripeWebhookSignature.Verify(f.Body, f.StripeHeader, f.Secrets, f.Now, StripeWebhookSignature.DefaultTolerance)),
                ("Stripe.net 53.1.0 ValidateSignature from a string", () => EventUtility.ValidateSignature(f.BodyString, f.StripeHeader, ComparisonFixture.Secret, 300, f.Timestamp)),
                ("Stripe.net 53.1.0 from bytes (decode + string)", () => EventUtility.ValidateSignature(Encoding.UTF8.GetString(f.Body), f.StripeHeader, ComparisonFixture.Secret, 300, f.Timestamp)),
            ]));
        }
    }

    /// <summary>Runs each candidate for <see cref="Rounds"/> interleaved rounds; returns its fastest round and its allocation per call.</summary>
    internal static (string Name, double Nanoseconds, double AllocatedPerCall)[] Measure(int size, (string Name, Action Body)[] candidates) =>
        Measure(Math.Max(8, 2_000_000 / size), Rounds, candidates, GC.GetAllocatedBytesForCurrentThread);

    /// <summary>Runs each candidate <paramref name="operations"/> times per round for <paramref name="rounds"/> interleaved rounds.</summary>
    /// <param name="operations">Calls per round.</param>
    /// <param name="rounds">Rounds.</param>
    /// <param name="candidates">The candidates, the baseline first.</param>
    /// <param name="allocatedBytes">The allocation counter (the current thread's, or the process's when calls hop threads).</param>
    internal static (string Name, double Nanoseconds, double AllocatedPerCall)[] Measure(int operations, int rounds, (string Name, Action Body)[] candidates, Func<long> allocatedBytes)
    {
        var best = new double[candidates.Length];
        var allocated = new long[candidates.Length];
        Array.Fill(best, double.MaxValue);
        for (var round = 0; round < rounds; round++)
        {
            for (var c = 0; c < candidates.Length; c++)
            {
                var body = candidates[c].Body;
                var allocatedBefore = allocatedBytes();
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < operations; i++)
                {
                    body();
                }

                best[c] = Math.Min(best[c], Stopwatch.GetElapsedTime(start).TotalNanoseconds / operations);
                allocated[c] += allocatedBytes() - allocatedBefore;
            }
        }

        var results = new (string, double, double)[candidates.Length];
        for (var c = 0; c < candidates.Length; c++)
        {
            results[c] = (candidates[c].Name, best[c], (double)allocated[c] / ((long)rounds * operations));
        }

        return results;
    }

    internal static void Report(TextWriter output, string scheme, int size, (string Name, double Nanoseconds, double AllocatedPerCall)[] results)
    {
        var floor = results[0].Nanoseconds;
        foreach (var (name, ns, allocatedPerCall) in results)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {scheme} | {size / 1024} KiB | {name} | {ns:F0} | {ns / floor:F3} | {allocatedPerCall:F0} |"));
        }
    }
}
