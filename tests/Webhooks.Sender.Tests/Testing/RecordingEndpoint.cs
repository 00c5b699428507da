using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;

namespace Webhooks.Sender.Tests.Testing;

/// <summary>A request as the endpoint saw it.</summary>
internal sealed record ReceivedRequest(Uri Url, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A fake endpoint behind MockHttp: records every request and answers with a scripted responder.</summary>
internal sealed class RecordingEndpoint : HttpMessageHandler
{
    private readonly Channel<ReceivedRequest> _received = Channel.CreateUnbounded<ReceivedRequest>();

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Gets or sets the answer; 200 by default.</summary>
    public Func<ReceivedRequest, CancellationToken, Task<HttpResponseMessage>> Responder { get; set; } =
        static (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

    /// <summary>Answers with these status codes in turn, then 200.</summary>
    public RecordingEndpoint Answer(params HttpStatusCode[] codes)
    {
        var queue = new ConcurrentQueue<HttpStatusCode>(codes);
        Responder = (_, _) => Task.FromResult(new HttpResponseMessage(queue.TryDequeue(out var code) ? code : HttpStatusCode.OK));
        return this;
    }

    /// <summary>Holds every request until <paramref name="gate"/> completes, then answers 200.</summary>
    public RecordingEndpoint HoldUntil(Task gate)
    {
        Responder = async (_, ct) =>
        {
            await gate.WaitAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        return this;
    }

    public async Task<ReceivedRequest> NextRequestAsync(TimeSpan? timeout = null) =>
        await _received.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(", ", values);
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = string.Join(", ", values);
            }
        }

        var received = new ReceivedRequest(request.RequestUri!, headers, body);
        Requests.Enqueue(received);
        _received.Writer.TryWrite(received);
        return await Responder(received, cancellationToken);
    }
}
