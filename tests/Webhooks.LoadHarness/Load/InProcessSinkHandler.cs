using System.Diagnostics;
using System.Net;
using Webhooks.Core;

namespace Webhooks.LoadHarness.Load;

/// <summary>
/// A transport without a network: hands each request straight to a <see cref="ReceiptSink"/> run (its id and the time)
/// and answers 204, so a run measures the client side alone (for us: the dispatcher, the store, signing, the attempt log;
/// for the raw loop: building, signing and sending the request through <see cref="HttpClient"/>).
/// </summary>
internal sealed class InProcessSinkHandler(ReceiptSink sink) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Read the body like a server would, then record the receipt.
        if (request.Content is { } content)
        {
            await content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        var id = request.Headers.TryGetValues(StandardWebhookHeaders.Id, out var values) ? values.First() : string.Empty;
        sink.Current.Receive(id, Stopwatch.GetTimestamp());
        return new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request };
    }
}
