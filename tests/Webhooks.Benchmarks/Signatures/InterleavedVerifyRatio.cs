using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Webhooks.Core;

namespace Webhooks.Benchmarks.Signatures;

/// <summary>
/// A cross-check of the verify ratio for a shared, noisy machine: the floor and ours run interleaved, round
/// after round, and each keeps its fastest round (noise from other processes only ever adds time).
/// Run with <c>dotnet run -c Release --project tests/Webhooks.Benchmarks -- --interleaved</c>.
/// </summary>
internal static class InterleavedVerifyRatio
{
    public static void Run(TextWriter output)
    {
        foreach (var size in (int[])[1024, 65536])
        {
            var secret = WebhookSecret.Generate();
            var key = Convert.FromBase64String(secret.RevealEncoded()[WebhookSecret.Prefix.Length..]);
            var body = BenchmarkPayload.Create(size);
            var now = DateTimeOffset.UtcNow;
            var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var signed = BenchmarkPayload.SignedContent(BenchmarkPayload.MessageId, timestamp, body);
            var signature = StandardWebhook.Sign(secret, BenchmarkPayload.MessageId, now.ToUnixTimeSeconds(), body);
            WebhookSecret[] secrets = [secret];
            var mac = new byte[32];
            var operations = 2_000_000 / size;

            double Floor()
            {
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < operations; i++)
                {
                    HMACSHA256.HashData(key, signed, mac);
                }

                return Stopwatch.GetElapsedTime(start).TotalNanoseconds / operations;
            }

            double Ours()
            {
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < operations; i++)
                {
                    StandardWebhook.Verify(body, BenchmarkPayload.MessageId, timestamp, signature, secrets, now, StandardWebhook.DefaultTolerance);
                }

                return Stopwatch.GetElapsedTime(start).TotalNanoseconds / operations;
            }

            var package = new StandardWebhooks.StandardWebhook(secret.RevealEncoded());
            var bodyString = Encoding.UTF8.GetString(body);
            var headers = new HeaderDictionary
            {
                [StandardWebhookHeaders.Id] = BenchmarkPayload.MessageId,
                [StandardWebhookHeaders.Timestamp] = timestamp,
                [StandardWebhookHeaders.Signature] = signature,
            };

            double Package()
            {
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < operations; i++)
                {
                    package.Verify(bodyString, headers);
                }

                return Stopwatch.GetElapsedTime(start).TotalNanoseconds / operations;
            }

            double PackageFromBytes()
            {
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < operations; i++)
                {
                    package.Verify(Encoding.UTF8.GetString(body), headers);
                }

                return Stopwatch.GetElapsedTime(start).TotalNanoseconds / operations;
            }

            double floor = double.MaxValue, ours = double.MaxValue, theirs = double.MaxValue, theirsFromBytes = double.MaxValue;
            long allocated = 0;
            for (var round = 0; round < 500; round++)
            {
                floor = Math.Min(floor, Floor());
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                ours = Math.Min(ours, Ours());
                allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                theirs = Math.Min(theirs, Package());
                theirsFromBytes = Math.Min(theirsFromBytes, PackageFromBytes());
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"body {size,6} B: floor {floor,9:F0} ns, ours {ours,9:F0} ns, ratio {ours / floor:F3}, allocated {allocated} B in {500 * operations} verifications; " +
                $"StandardWebhooks 1.1.2 from a string {theirs,9:F0} ns (ratio {theirs / floor:F3}), from bytes {theirsFromBytes,9:F0} ns (ratio {theirsFromBytes / floor:F3})"));
        }
    }
}
