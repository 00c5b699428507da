using System.Text;
using System.Text.RegularExpressions;
using Webhooks.Core;
using Webhooks.Testing;
using Webhooks.Testing.Shared;

namespace Webhooks.Cli.Tests;

/// <summary>docs/cli.md's commands run as written, and each output it shows is the real output.</summary>
public sealed partial class DocsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task CliDocs_SignAndVerifyExamples_PrintExactlyTheDocumentedOutput()
    {
        var blocks = Blocks(Docs());
        var checkedOutputs = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].Lang != "sh")
            {
                continue;
            }

            var expected = i + 1 < blocks.Count && blocks[i + 1].Lang == "text" ? blocks[i + 1].Body : null;
            foreach (var command in blocks[i].Body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (WriteFile(command) || !command.StartsWith("webhooks ", StringComparison.Ordinal) || command.StartsWith("webhooks listen", StringComparison.Ordinal)
                    || command.StartsWith("webhooks send", StringComparison.Ordinal))
                {
                    continue;
                }

                var result = await Cli.RunAsync(Arguments(command));
                result.Err.Should().BeEmpty(command);
                if (expected is not null)
                {
                    result.Out.ReplaceLineEndings("\n").Should().Be(expected, command);
                    result.ExitCode.Should().Be(expected.StartsWith("invalid:", StringComparison.Ordinal) ? 1 : 0, command);
                    checkedOutputs++;
                }
            }
        }

        checkedOutputs.Should().Be(5, "docs/cli.md shows the output of two sign and three verify commands");
    }

    [Fact]
    public async Task CliDocs_ListenAndSendExample_ForwardsAVerifiedEventToTheApp()
    {
        var blocks = Blocks(Docs());
        var commands = blocks.Where(b => b.Lang == "sh").SelectMany(b => b.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        commands.ForEach(c => WriteFile(c));
        var listen = commands.Single(c => c.StartsWith("webhooks listen", StringComparison.Ordinal));
        var send = commands.Single(c => c.StartsWith("webhooks send", StringComparison.Ordinal));
        blocks.Should().Contain(b => b.Lang == "console" && b.Body.Contains("forwarded to http://127.0.0.1:5000/webhooks: 200 OK", StringComparison.Ordinal));

        // The app behind the listener: the test endpoint, in place of port 5000; the listener on a free port, in place of 4000.
        await using var app = await WebhookTestEndpoint.StartAsync(new() { Secrets = { WebhookSecret.Parse(Cli.Secret) } });
        var output = new WatchedWriter();
        using var stop = new CancellationTokenSource();
        var listening = Program.RunAsync(
            Arguments(listen.Replace("--port 4000", "--port 0", StringComparison.Ordinal).Replace("http://127.0.0.1:5000/webhooks", app.Url.ToString(), StringComparison.Ordinal)),
            output, output, null, stop.Token);
        await output.WaitForAsync("Listening on");
        var listenerUrl = ListeningOn().Match(output.Text).Groups["url"].Value;

        var sent = await Cli.RunAsync(Arguments(send.Replace("http://127.0.0.1:4000", listenerUrl, StringComparison.Ordinal)));
        var printed = await output.WaitForAsync("forwarded to");
        await stop.CancelAsync();

        (await listening).Should().Be(0);
        sent.ExitCode.Should().Be(0, sent.Err);
        sent.Lines[0].Should().MatchRegex(@"^200 OK in \d+ ms$");
        var delivery = app.Deliveries.Should().ContainSingle().Subject;
        delivery.Verified.Should().BeTrue();
        delivery.EventType.Should().Be("order.created");
        printed.Should().Contain("--- POST /webhooks at ").And.Contain(": verified").And.Contain("type: order.created  id: msg_")
            .And.Contain("\"orderId\": 42").And.Contain($"forwarded to {app.Url}: 200 OK in ");
    }

    private static string Docs() => Repository.ReadText("docs/cli.md");

    private static List<(string Lang, string Body)> Blocks(string markdown) =>
        [.. Fence().Matches(markdown).Select(m => (m.Groups["lang"].Value, m.Groups["body"].Value))];

    /// <summary>Runs a documented <c>printf '%s' '...' &gt; file</c> line in the temp folder.</summary>
    private bool WriteFile(string command)
    {
        var match = Printf().Match(command);
        if (match.Success)
        {
            File.WriteAllText(Path.Combine(_folder.Path, match.Groups["file"].Value), match.Groups["text"].Value, new UTF8Encoding(false));
        }

        return match.Success;
    }

    /// <summary>Splits a documented command as a POSIX shell would (single and double quotes), drops "webhooks", and puts files in the temp folder.</summary>
    private string[] Arguments(string command)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var inArg = false;
        char? quote = null;
        foreach (var c in command)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inArg = true;
            }
            else if (c == ' ')
            {
                if (inArg)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inArg = false;
                }
            }
            else
            {
                current.Append(c);
                inArg = true;
            }
        }

        if (inArg)
        {
            args.Add(current.ToString());
        }

        args[0].Should().Be("webhooks");
        return [.. args.Skip(1).Select(a => a.EndsWith(".json", StringComparison.Ordinal) ? Path.Combine(_folder.Path, a) : a)];
    }

    [GeneratedRegex(@"```(?<lang>sh|text|console)\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"^printf '%s' '(?<text>[^']*)' > (?<file>[\w.]+)$")]
    private static partial Regex Printf();

    [GeneratedRegex(@"Listening on (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
