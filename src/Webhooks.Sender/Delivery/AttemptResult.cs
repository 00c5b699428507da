using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Delivery;

/// <summary>An attempt as logged, with its classification.</summary>
/// <param name="Attempt">The attempt log entry.</param>
/// <param name="Outcome">What it means for the delivery.</param>
/// <param name="RetryAfter">The endpoint's <c>Retry-After</c> on 429/502/503/504, uncapped.</param>
internal readonly record struct AttemptResult(WebhookAttempt Attempt, AttemptOutcome Outcome, TimeSpan? RetryAfter);
