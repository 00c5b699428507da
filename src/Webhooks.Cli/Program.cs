using Webhooks.Cli.Commands;

namespace Webhooks.Cli;

/// <summary>The <c>webhooks</c> tool: exit code 0 for success, 1 for a failure (an invalid signature, a failed send), 2 for a usage error.</summary>
internal static class Program
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private const string Help = """
        webhooks: sign, verify, send and receive webhooks while you develop and test.

        Usage: webhooks <command> [options]

        Commands:
          sign     Print the signature header value for a body.
          verify   Check a signature; exit 0 when valid, 1 when not (and why).
          send     Sign a body and POST it to a URL; print status, latency and the response.
          listen   Run a receiver on 127.0.0.1 that prints (and optionally forwards) each request.

        Schemes (--scheme): standard (Standard Webhooks, the default), github, stripe, shopify, slack.
        Run 'webhooks <command> --help' for a command's options. Exit codes: 0 ok, 1 failed, 2 usage error.
        """;

    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return await RunAsync(args, Console.Out, Console.Error, Console.In, stop.Token).ConfigureAwait(false);
    }

    /// <summary>Runs one command in process: what <see cref="Main"/> does, with the streams and the stop signal given.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var io = new Io(stdout, stderr, stdin ?? TextReader.Null);
        if (args.Length == 0)
        {
            await stderr.WriteLineAsync(Help).ConfigureAwait(false);
            return Usage;
        }

        var rest = args[1..];
        Command? command = args[0] switch
        {
            "sign" => new SignCommand(),
            "verify" => new VerifyCommand(),
            "send" => new SendCommand(),
            "listen" => new ListenCommand(),
            _ => null,
        };
        if (command is null)
        {
            if (args[0] is "--help" or "-h" or "help")
            {
                await stdout.WriteLineAsync(Help).ConfigureAwait(false);
                return Ok;
            }

            await stderr.WriteLineAsync($"webhooks: unknown command '{args[0]}'. Commands: sign, verify, send, listen; see 'webhooks --help'.").ConfigureAwait(false);
            return Usage;
        }

        try
        {
            var line = CommandLine.Parse(rest, command.Options, command.Flags, command.MaxPositionals);
            if (line.Has("help"))
            {
                await stdout.WriteLineAsync(command.Help).ConfigureAwait(false);
                return Ok;
            }

            return await command.RunAsync(line, io, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"webhooks {args[0]}: {ex.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync($"Run 'webhooks {args[0]} --help' for usage.").ConfigureAwait(false);
            return Usage;
        }
    }
}

/// <summary>The standard streams of one run.</summary>
internal sealed record Io(TextWriter Out, TextWriter Err, TextReader In);

/// <summary>One command: its options, its help, and what it does.</summary>
internal abstract class Command
{
    public abstract string[] Options { get; }

    public virtual string[] Flags => [];

    public virtual int MaxPositionals => 0;

    public abstract string Help { get; }

    public abstract Task<int> RunAsync(CommandLine line, Io io, CancellationToken cancellationToken);
}
