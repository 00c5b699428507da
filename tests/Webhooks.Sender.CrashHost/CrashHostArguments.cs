using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Webhooks.Sender.CrashHost;

/// <summary>
/// <c>--store sqlite|postgres --connection "..." [--url http://127.0.0.1:port/hooks/x --publish N] [--batch 8]
/// [--concurrency 8] [--lease-seconds 3] [--max-seconds 90]</c>; the endpoint secret comes from the environment
/// variable <see cref="Harness.CrashHostProtocol.SecretVariable"/> (never from the command line).
/// </summary>
public sealed record CrashHostArguments
{
    public string Store { get; init; } = "sqlite";

    public string Connection { get; init; } = string.Empty;

    public string? Url { get; init; }

    public int Publish { get; init; }

    public int BatchSize { get; init; } = 8;

    public int Concurrency { get; init; } = 8;

    public int LeaseSeconds { get; init; } = 3;

    public int MaxSeconds { get; init; } = 90;

    public static bool TryParse(string[] args, [NotNullWhen(true)] out CrashHostArguments? parsed, out string usage)
    {
        usage = "usage: Webhooks.Sender.CrashHost --store sqlite|postgres --connection <connection string> [--url <endpoint> --publish <n>] "
            + "[--batch <n>] [--concurrency <n>] [--lease-seconds <n>] [--max-seconds <n>]";
        parsed = null;
        var result = new CrashHostArguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                return false;
            }

            var value = args[++i];
            int Number() => int.Parse(value, CultureInfo.InvariantCulture);
            result = args[i - 1] switch
            {
                "--store" => result with { Store = value },
                "--connection" => result with { Connection = value },
                "--url" => result with { Url = value },
                "--publish" => result with { Publish = Number() },
                "--batch" => result with { BatchSize = Number() },
                "--concurrency" => result with { Concurrency = Number() },
                "--lease-seconds" => result with { LeaseSeconds = Number() },
                "--max-seconds" => result with { MaxSeconds = Number() },
                _ => null!,
            };
            if (result is null)
            {
                return false;
            }
        }

        if (result.Connection.Length == 0 || (result.Publish > 0 && result.Url is null))
        {
            return false;
        }

        parsed = result;
        return true;
    }
}
