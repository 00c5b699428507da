using Webhooks.Core;
using Webhooks.Testing;

namespace Webhooks.Sender.Tests.Testing;

/// <summary>What the receiver saw: which endpoint, the webhook id, whether the signature verified, and what it answered.</summary>
internal sealed record Arrival(string Endpoint, string? MessageId, bool Verified, int Status, byte[] Body, string? TraceParent);

/// <summary>
/// Endpoints <c>/hooks/{name}</c> on one <see cref="WebhookTestEndpoint"/> of Webhooks.Testing (a real Kestrel server
/// on 127.0.0.1), each verified with its own secrets; the answer comes from <see cref="Behavior"/>. Only the vocabulary
/// of these tests lives here: the server, the verification and the recording are the package's.
/// </summary>
internal sealed class KestrelReceiver : IAsyncDisposable
{
    private const string Prefix = "/hooks/";
    private readonly WebhookTestEndpoint _endpoint;

    private KestrelReceiver(WebhookTestEndpoint endpoint) => _endpoint = endpoint;

    public Uri BaseAddress => _endpoint.BaseAddress;

    /// <summary>Gets the requests answered so far, in order (499 for one whose sender gave up).</summary>
    public IReadOnlyList<Arrival> Arrivals =>
        [.. _endpoint.Deliveries.Select(d => new Arrival(Name(d.Path), d.MessageId, d.Verified, d.StatusCode, d.Body, d.Header("traceparent")))];

    /// <summary>Gets how many requests have started (including those still running).</summary>
    public int Started => _endpoint.Received;

    /// <summary>Sets the answer for (endpoint, attempt number of this message at this endpoint, from 1); 200 by default.</summary>
    public Func<string, int, CancellationToken, Task<int>> Behavior
    {
        set => _endpoint.RespondWith(a => new ValueTask<int>(value(Name(a.Path), a.Attempt, a.CancellationToken)));
    }

    public static async Task<KestrelReceiver> StartAsync() =>
        new(await WebhookTestEndpoint.StartAsync(new WebhookTestEndpointOptions { RejectUnverified = false }));

    public string Url(string name) => _endpoint.UrlFor(Prefix + name).ToString();

    public void Trust(string name, params WebhookSecret[] secrets)
    {
        foreach (var secret in secrets)
        {
            _endpoint.Trust(secret, Prefix + name);
        }
    }

    /// <summary>The distinct (endpoint, message id) pairs answered 2xx.</summary>
    public HashSet<(string Endpoint, string? Id)> Delivered() =>
        [.. Arrivals.Where(a => a.Status is >= 200 and < 300).Select(a => (a.Endpoint, a.MessageId))];

    /// <summary>Completes when the condition holds; checked after every request arrives and every answer.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        await _endpoint.WaitUntilAsync(_ => condition(), cts.Token);
    }

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();

    /// <summary>The endpoint name of a path: <c>/hooks/a</c> is <c>a</c>; any other path (a redirect target) is itself without the slash.</summary>
    private static string Name(string path) => path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : path.TrimStart('/');
}
