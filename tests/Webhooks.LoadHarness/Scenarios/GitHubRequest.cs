using System.Net.Http.Headers;
using Webhooks.Core.Schemes;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>The GitHub-signed request every receiver candidate gets: the real pull_request event, a fresh delivery id each time.</summary>
internal sealed class GitHubRequest
{
    public GitHubRequest()
    {
        Body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "github-pull_request-opened.json"));
        Signature = GitHubWebhookSignature.Sign(ReceiverEndpoints.Secret, Body);
    }

    public byte[] Body { get; }

    public string Signature { get; }

    public HttpRequestMessage Create(Uri uri)
    {
        var content = new ByteArrayContent(Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.TryAddWithoutValidation(GitHubWebhookSignature.EventHeader, ReceiverEndpoints.EventName);
        request.Headers.TryAddWithoutValidation(GitHubWebhookSignature.DeliveryHeader, Guid.NewGuid().ToString());
        request.Headers.TryAddWithoutValidation(GitHubWebhookSignature.SignatureHeader, Signature);
        return request;
    }
}
