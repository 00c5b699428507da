using System.Globalization;

namespace Webhooks.Cli;

/// <summary>A usage error: the message says which argument is wrong and what to do; the exit code is 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The arguments of one command: <c>--name value</c> or <c>--name=value</c> options, <c>--flag</c> switches and
/// positional values. Unknown options, repeated options and missing values are usage errors.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    private CommandLine()
    {
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public static CommandLine Parse(IReadOnlyList<string> args, string[] options, string[] flags, int maxPositionals)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h")
            {
                arg = "--help";
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                if (line._positionals.Count >= maxPositionals)
                {
                    throw new UsageException($"Unexpected argument '{arg}'.");
                }

                line._positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (name == "help" || Array.IndexOf(flags, name) >= 0)
            {
                if (value is not null)
                {
                    throw new UsageException($"--{name} takes no value.");
                }

                line._flags.Add(name);
                continue;
            }

            if (Array.IndexOf(options, name) < 0)
            {
                throw new UsageException($"Unknown option '--{name}'.");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"--{name} needs a value.");
                }

                value = args[++i];
            }

            if (!line._options.TryAdd(name, value))
            {
                throw new UsageException($"--{name} is given twice.");
            }
        }

        return line;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Get(string name) => _options.GetValueOrDefault(name);

    public string Require(string name) =>
        _options.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new UsageException($"--{name} is required.");

    /// <summary>Reads unix seconds, ASCII digits only (the characters that are signed).</summary>
    public string? UnixSeconds(string name)
    {
        var value = Get(name);
        return value is null || (value.Length is > 0 and <= 18 && value.All(char.IsAsciiDigit))
            ? value
            : throw new UsageException($"--{name} must be unix seconds (digits only), not '{value}'.");
    }

    /// <summary>Reads a time as unix seconds or an ISO 8601 date and time.</summary>
    public DateTimeOffset? Time(string name)
    {
        var value = Get(name);
        if (value is null)
        {
            return null;
        }

        if (value.Length is > 0 and <= 18 && value.All(char.IsAsciiDigit))
        {
            return DateTimeOffset.FromUnixTimeSeconds(long.Parse(value, CultureInfo.InvariantCulture));
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw new UsageException($"--{name} must be unix seconds or an ISO 8601 time such as 2026-01-01T00:00:00Z, not '{value}'.");
    }

    public int Int(string name, int defaultValue, int min, int max)
    {
        var value = Get(name);
        if (value is null)
        {
            return defaultValue;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new UsageException($"--{name} must be a whole number from {min} to {max}, not '{value}'.");
    }

    /// <summary>Reads the file named by the option; <c>-</c> reads standard input.</summary>
    public async Task<byte[]> BodyAsync(string name, TextReader stdin)
    {
        var path = Require(name);
        if (path == "-")
        {
            return System.Text.Encoding.UTF8.GetBytes(await stdin.ReadToEndAsync().ConfigureAwait(false));
        }

        try
        {
            return await File.ReadAllBytesAsync(path).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--{name}: cannot read '{path}': {ex.Message}");
        }
    }
}
