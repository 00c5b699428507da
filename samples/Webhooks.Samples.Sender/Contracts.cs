using System.Text.Json;
using Webhooks.Core;

namespace Webhooks.Samples.Sender;

/// <summary>The body of <c>POST /subscriptions</c>.</summary>
internal sealed record CreateSubscriptionRequest(string? Url, IReadOnlyList<string>? EventTypes, string? Description, string? Secret);

/// <summary>The body of <c>POST /events</c>.</summary>
internal sealed record PublishRequest(string? Type, JsonElement Data, string? IdempotencyKey);

/// <summary>The answer to <c>POST /events</c>.</summary>
internal sealed record PublishResponse(string MessageId);

/// <summary>One page of a list.</summary>
internal sealed record PageResponse<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>A subscription as the API shows it; the secret only in the answer to its creation.</summary>
internal sealed record SubscriptionResponse(
    string Id, string Url, IReadOnlyList<string> EventTypes, bool Enabled, string? DisabledReason, string? Description, string? Secret)
{
    public static SubscriptionResponse From(WebhookSubscription s, bool revealSecret = false) =>
        new(s.Id, s.Url.ToString(), s.EventTypes, s.Enabled, s.DisabledReason, s.Description,
            revealSecret ? s.Secrets[0].Secret.RevealEncoded() : null);
}
