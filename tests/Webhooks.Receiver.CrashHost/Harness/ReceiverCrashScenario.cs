using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Webhooks.Core;

namespace Webhooks.Sender.CrashHost.Harness;

/// <summary>What an inbox crash run saw.</summary>
/// <param name="Sent">Requests sent before the kill.</param>
/// <param name="Accepted">Message ids answered 2xx (stored) by the first host.</param>
/// <param name="HandledAtKill">Distinct ids handled when the first host was killed.</param>
/// <param name="Handled">Times each id was handled, over both runs.</param>
/// <param name="Log">Both hosts' output.</param>
public sealed record ReceiverCrashResult(int Sent, IReadOnlyCollection<string> Accepted, int HandledAtKill, IReadOnlyDictionary<string, int> Handled, string Log)
{
    /// <summary>Gets the accepted ids never handled: must be none.</summary>
    public IReadOnlyList<string> Lost => [.. Accepted.Where(id => !Handled.ContainsKey(id))];

    /// <summary>Gets the handlings beyond the first of each id.</summary>
    public int Duplicates => Handled.Values.Sum(n => n - 1);
}

/// <summary>
/// The inbox crash test: send signed webhooks to a receiver process with an inbox, SIGKILL it once
/// <see cref="KillAfterAccepted"/> were answered 2xx (while it still accepts and processes), restart it on the same
/// store and wait until its inbox has nothing pending. Every accepted id must then have been handled.
/// </summary>
public sealed class ReceiverCrashScenario
{
    public required string Store { get; init; }

    public required string Connection { get; init; }

    public string? Schema { get; init; }

    public int Requests { get; init; } = 400;

    public int KillAfterAccepted { get; init; } = 200;

    public int SendConcurrency { get; init; } = 8;

    /// <summary>Gets the bound on the whole run: a safety net, not a schedule.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(180);

    public async Task<ReceiverCrashResult> RunAsync(string directory)
    {
        var secret = WebhookSecret.Generate();
        var handledPath = Path.Combine(directory, "handled.txt");
        using var timeout = new CancellationTokenSource(Timeout);
        List<string> common = ["--store", Store, "--connection", Connection, "--handled", handledPath];
        if (Schema is not null)
        {
            common.AddRange(["--schema", Schema]);
        }

        var accepted = new ConcurrentBag<string>();
        var sent = 0;
        string log;
        int handledAtKill;
        await using (var first = CrashHostProcess.Start(common, secret))
        {
            var url = await ListeningUrlAsync(first, timeout.Token);
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var client = new HttpClient();
            var next = -1;
            var senders = Enumerable.Range(0, SendConcurrency).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Requests && !enough.Task.IsCompleted)
                {
                    Interlocked.Increment(ref sent);
                    var id = "msg_" + i.ToString(CultureInfo.InvariantCulture);
                    try
                    {
                        using var response = await client.SendAsync(Signed(url, id, secret), timeout.Token);
                        if ((int)response.StatusCode is >= 200 and < 300)
                        {
                            accepted.Add(id);
                            if (accepted.Count >= KillAfterAccepted)
                            {
                                enough.TrySetResult();
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // The host was killed while this request was in flight: not accepted, so the sender would retry.
                    }
                }
            })).ToArray();

            await enough.Task.WaitAsync(timeout.Token);
            await first.KillAsync();
            await Task.WhenAll(senders);
            handledAtKill = ReadHandled(handledPath).Count;
            log = "first host:\n" + first.Log;
        }

        await using var second = CrashHostProcess.Start([.. common, "--exit-when-idle"], secret);
        try
        {
            await second.WaitForLineAsync(CrashHostProtocol.Done, timeout.Token);
            await second.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"The restarted receiver did not empty its inbox within {Timeout}. Its output:\n{second.Log}", ex);
        }

        return new ReceiverCrashResult(sent, [.. accepted], handledAtKill, ReadHandled(handledPath), log + "second host:\n" + second.Log);
    }

    private static async Task<string> ListeningUrlAsync(CrashHostProcess host, CancellationToken cancellationToken)
    {
        await host.WaitForLineAsync("listening ", cancellationToken);
        return host.Log.Split('\n').First(l => l.StartsWith("out: listening ", StringComparison.Ordinal))["out: listening ".Length..].Trim();
    }

    private static HttpRequestMessage Signed(string url, string id, WebhookSecret secret)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"crash.event","timestamp":"2026-01-01T00:00:00Z","data":{"id":"{{{id}}}"}}""");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(StandardWebhookHeaders.Id, id);
        request.Headers.Add(StandardWebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhookHeaders.Signature, StandardWebhook.Sign(secret, id, timestamp, body));
        return request;
    }

    /// <summary>Reads the handled ids (a line torn by the kill is not an id and is skipped).</summary>
    private static Dictionary<string, int> ReadHandled(string path)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("msg_", StringComparison.Ordinal) && line.Length > 4 && line[4..].All(char.IsAsciiDigit))
            {
                counts[line] = counts.GetValueOrDefault(line) + 1;
            }
        }

        return counts;
    }
}
