using System.Globalization;
using Webhooks.Core;

namespace Webhooks.Sender.Health;

/// <summary>
/// Decides when a subscription is disabled: at once on <c>410 Gone</c>, and when it has failed without any success
/// for the window. Remembers, per subscription, when its current run of failures began. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Where the "failing since" time lives: in this process's memory, kept only for subscriptions that are failing now
/// (a success forgets the entry), bounded by <c>capacity</c> (when full, the entries whose last failure is oldest go
/// first). The window starts no earlier than the subscription's <see cref="WebhookSubscription.UpdatedAt"/>, so
/// enabling it again (or any change) starts a fresh window even in a process that remembers older failures.
/// </para>
/// <para>
/// Across restarts the memory is lost and the window starts again at the next failure: disabling can come later than
/// the window, never earlier. Across instances each one measures what it sees, and a process that sees no success does
/// not know about another's, so the caller confirms with the store (no delivery of the subscription succeeded since
/// <see cref="EndpointHealthVerdict.FailingSince"/>) before it disables, and calls <see cref="RecordSuccess"/> when the
/// store shows one. The store contract has no "last success" column, so this is derived from succeeded deliveries.
/// </para>
/// </remarks>
internal sealed class EndpointHealthPolicy
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Failing> _failing = new(StringComparer.Ordinal);
    private readonly TimeSpan? _disableAfter;
    private readonly int _capacity;

    public EndpointHealthPolicy(TimeSpan? disableAfter, int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _disableAfter = disableAfter;
        _capacity = capacity;
    }

    /// <summary>Gets the window after which a failing subscription is disabled, or <see langword="null"/> for never.</summary>
    public TimeSpan? DisableAfter => _disableAfter;

    /// <summary>Gets the number of subscriptions remembered as failing.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _failing.Count;
            }
        }
    }

    /// <summary>The <see cref="WebhookSubscription.DisabledReason"/> text for a disable.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="failingSince">When the failures began.</param>
    /// <param name="now">When it is disabled.</param>
    /// <returns>The text.</returns>
    public static string Describe(WebhookSubscriptionDisabledReason reason, DateTimeOffset failingSince, DateTimeOffset now) => reason switch
    {
        WebhookSubscriptionDisabledReason.EndpointGone =>
            string.Create(CultureInfo.InvariantCulture, $"The endpoint answered 410 Gone at {now:O}."),
        _ => string.Create(CultureInfo.InvariantCulture, $"Every attempt failed from {failingSince:O} to {now:O} ({(now - failingSince).TotalDays:0.#} days) without a success."),
    };

    /// <summary>Records a successful attempt: the subscription is healthy, its failures are forgotten.</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    public void RecordSuccess(string subscriptionId)
    {
        lock (_gate)
        {
            _failing.Remove(subscriptionId);
        }
    }

    /// <summary>Records a failed attempt and decides whether the subscription must be disabled now.</summary>
    /// <param name="subscription">The subscription, as read for the attempt.</param>
    /// <param name="statusCode">The endpoint's status code, when it answered.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The verdict.</returns>
    public EndpointHealthVerdict RecordFailure(WebhookSubscription subscription, int? statusCode, DateTimeOffset now)
    {
        if (_disableAfter is null)
        {
            // No window: only 410 disables, and nothing needs remembering.
            return new EndpointHealthVerdict(statusCode == 410 ? WebhookSubscriptionDisabledReason.EndpointGone : null, now);
        }

        DateTimeOffset since;
        lock (_gate)
        {
            if (_failing.TryGetValue(subscription.Id, out var failing))
            {
                failing.LastFailure = now;
                since = failing.Since;
            }
            else
            {
                if (_failing.Count >= _capacity)
                {
                    DropOldest();
                }

                _failing.Add(subscription.Id, new Failing { Since = now, LastFailure = now });
                since = now;
            }
        }

        if (statusCode == 410)
        {
            return new EndpointHealthVerdict(WebhookSubscriptionDisabledReason.EndpointGone, since);
        }

        if (subscription.UpdatedAt > since && subscription.UpdatedAt <= now)
        {
            since = subscription.UpdatedAt;
        }

        return _disableAfter is { } window && now - since >= window
            ? new EndpointHealthVerdict(WebhookSubscriptionDisabledReason.FailingTooLong, since)
            : new EndpointHealthVerdict(null, since);
    }

    /// <summary>Forgets a subscription (after it was disabled or deleted).</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    public void Forget(string subscriptionId) => RecordSuccess(subscriptionId);

    /// <summary>Drops the tenth of the entries whose last failure is oldest. Caller holds the lock.</summary>
    private void DropOldest()
    {
        var drop = Math.Max(1, _failing.Count / 10);
        var oldest = _failing.OrderBy(e => e.Value.LastFailure).Take(drop).Select(e => e.Key).ToList();
        foreach (var id in oldest)
        {
            _failing.Remove(id);
        }
    }

    private sealed class Failing
    {
        public DateTimeOffset Since;
        public DateTimeOffset LastFailure;
    }
}
