using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Sender.Storage;
using Webhooks.Sender;

namespace Webhooks.Sender.Subscriptions;

/// <summary>Subscription management over the store, optionally restricted to one tenant.</summary>
internal sealed class WebhookSubscriptionService : IWebhookSubscriptions
{
    private static readonly string[] ReservedHeaderPrefixes = ["webhook-", "svix-", "content-"];
    private static readonly string[] ReservedHeaders = ["host", "user-agent", "transfer-encoding", "connection", "traceparent", "tracestate"];

    private readonly IWebhookStore _store;
    private readonly SubscriptionMatcher _matcher;
    private readonly ISubscriptionUrlValidator _urlValidator;
    private readonly TimeProvider _time;
    private readonly IOptions<WebhookSenderOptions> _options;
    private readonly ILogger _logger;

    public WebhookSubscriptionService(
        IWebhookStore store,
        SubscriptionMatcher matcher,
        ISubscriptionUrlValidator urlValidator,
        TimeProvider time,
        IOptions<WebhookSenderOptions> options,
        ILogger<WebhookSubscriptionService>? logger = null)
    {
        _store = store;
        _matcher = matcher;
        _urlValidator = urlValidator;
        _time = time;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    private WebhookSubscriptionService(WebhookSubscriptionService root, string tenantId)
        : this(root._store, root._matcher, root._urlValidator, root._time, root._options)
    {
        _logger = root._logger;
        TenantId = tenantId;
    }

    public string? TenantId { get; }

    public IWebhookSubscriptions ForTenant(string tenantId)
    {
        TenantScope.ThrowIfInvalid(tenantId, TenantId);
        return new WebhookSubscriptionService(this, tenantId);
    }

    public async Task<WebhookSubscription> CreateAsync(WebhookSubscriptionCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var tenantId = request.TenantId ?? TenantId;
        if (TenantId is not null && tenantId != TenantId)
        {
            throw new ArgumentException($"The request is for tenant '{request.TenantId}' but this view is restricted to tenant '{TenantId}'.", nameof(request));
        }

        if (tenantId is not null)
        {
            TenantScope.ThrowIfInvalid(tenantId, null);
        }

        ValidateUrl(request.Url);
        ValidateEventTypes(request.EventTypes);
        var headers = ValidateHeaders(request.Headers);
        ValidateRateLimit(request.RateLimitPerSecond);

        var now = _time.GetUtcNow();
        var subscription = new WebhookSubscription
        {
            Id = WebhookId.New(WebhookId.SubscriptionPrefix, _time),
            TenantId = tenantId,
            Url = request.Url,
            Secrets = [new WebhookSubscriptionSecret(request.Secret ?? WebhookSecret.Generate(), now)],
            EventTypes = [.. request.EventTypes],
            Enabled = request.Enabled,
            Description = request.Description,
            Metadata = Copy(request.Metadata),
            Headers = headers,
            RateLimitPerSecond = request.RateLimitPerSecond,
            CreatedAt = now,
            UpdatedAt = now,
        };

        await _store.CreateSubscriptionAsync(subscription, cancellationToken).ConfigureAwait(false);
        _matcher.Invalidate();
        Log.SubscriptionCreated(_logger, subscription.Id, tenantId, subscription.Url.Host);
        return subscription;
    }

    public async Task<WebhookSubscription?> GetAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        var subscription = await _store.GetSubscriptionAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
        return subscription is not null && (TenantId is null || subscription.TenantId == TenantId) ? subscription : null;
    }

    public Task<WebhookPage<WebhookSubscription>> ListAsync(WebhookSubscriptionQuery? query = null, CancellationToken cancellationToken = default)
    {
        query = TenantScope.Apply(query ?? new WebhookSubscriptionQuery(), TenantId);
        if (query.EventType is not null)
        {
            WebhookEventType.ThrowIfInvalid(query.EventType, nameof(query));
        }

        return _store.ListSubscriptionsAsync(query, cancellationToken);
    }

    public Task<WebhookSubscription?> UpdateAsync(string subscriptionId, WebhookSubscriptionUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Url is not null)
        {
            ValidateUrl(request.Url);
        }

        if (request.EventTypes is not null)
        {
            ValidateEventTypes(request.EventTypes);
        }

        var headers = request.Headers is null ? null : ValidateHeaders(request.Headers);
        ValidateRateLimit(request.RateLimitPerSecond);

        return ChangeAsync(subscriptionId, s => s with
        {
            Url = request.Url ?? s.Url,
            EventTypes = request.EventTypes is null ? s.EventTypes : [.. request.EventTypes],
            Description = request.Description ?? s.Description,
            Metadata = request.Metadata is null ? s.Metadata : Copy(request.Metadata),
            Headers = headers ?? s.Headers,
            RateLimitPerSecond = request.RateLimitPerSecond ?? s.RateLimitPerSecond,
        }, static (logger, s) => Log.SubscriptionUpdated(logger, s.Id), cancellationToken);
    }

    public Task<WebhookSubscription?> EnableAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        ChangeAsync(subscriptionId, static s => s with { Enabled = true, DisabledReason = null }, static (logger, s) => Log.SubscriptionStateChanged(logger, s.Id, "enabled"), cancellationToken);

    public Task<WebhookSubscription?> DisableAsync(string subscriptionId, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(subscriptionId, s => s with { Enabled = false, DisabledReason = reason ?? "Disabled by the application." }, static (logger, s) => Log.SubscriptionStateChanged(logger, s.Id, "disabled"), cancellationToken);

    public async Task<bool> DeleteAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(subscriptionId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        var deleted = await _store.DeleteSubscriptionAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
        _matcher.Invalidate();
        if (deleted)
        {
            Log.SubscriptionDeleted(_logger, subscriptionId);
        }

        return deleted;
    }

    public Task<WebhookSubscription?> RotateSecretAsync(string subscriptionId, WebhookSecret? newSecret = null, TimeSpan? overlap = null, CancellationToken cancellationToken = default)
    {
        var window = overlap ?? _options.Value.SecretRotationOverlap;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero, nameof(overlap));
        var secret = newSecret ?? WebhookSecret.Generate();
        var now = _time.GetUtcNow();
        var overlapEnd = now + window;
        return ChangeAsync(subscriptionId, s =>
        {
            var secrets = new List<WebhookSubscriptionSecret>(s.Secrets.Count + 1) { new(secret, now) };
            foreach (var old in s.Secrets)
            {
                // Expired secrets are dropped; the others sign until the overlap ends (or earlier, if they were to stop earlier).
                if (old.IsActive(now))
                {
                    secrets.Add(old.ExpiresAt is { } end && end <= overlapEnd ? old : old with { ExpiresAt = overlapEnd });
                }
            }

            return s with { Secrets = secrets };
        }, (logger, s) => Log.SecretRotated(logger, s.Id, overlapEnd), cancellationToken);
    }

    private async Task<WebhookSubscription?> ChangeAsync(
        string subscriptionId,
        Func<WebhookSubscription, WebhookSubscription> change,
        Action<ILogger, WebhookSubscription> log,
        CancellationToken cancellationToken)
    {
        var current = await GetAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return null;
        }

        var updated = change(current) with { UpdatedAt = _time.GetUtcNow() };
        if (!await _store.UpdateSubscriptionAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _matcher.Invalidate();
        log(_logger, updated);
        return updated;
    }

    private void ValidateUrl(Uri url)
    {
        if (!_urlValidator.TryValidate(url, out var error))
        {
            throw new ArgumentException(error, nameof(url));
        }
    }

    private static void ValidateEventTypes(IReadOnlyList<string> eventTypes)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        foreach (var pattern in eventTypes)
        {
            if (!WebhookEventFilter.IsValid(pattern))
            {
                throw new ArgumentException($"The event type filter '{pattern}' is not valid; use a name such as 'order.created', a prefix such as 'order.*', or '*'.", nameof(eventTypes));
            }
        }
    }

    private static Dictionary<string, string> ValidateHeaders(IReadOnlyDictionary<string, string>? headers)
    {
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (headers is null)
        {
            return copy;
        }

        foreach (var (name, value) in headers)
        {
            if (string.IsNullOrEmpty(name) || !IsToken(name))
            {
                throw new ArgumentException($"The header name '{name}' is not a valid HTTP header name.", nameof(headers));
            }

            if (Array.Exists(ReservedHeaders, r => r.Equals(name, StringComparison.OrdinalIgnoreCase))
                || Array.Exists(ReservedHeaderPrefixes, p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"The header '{name}' is set by the sender and cannot be customised.", nameof(headers));
            }

            if (value is null || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException($"The value of header '{name}' is null or contains a line break.", nameof(headers));
            }

            copy[name] = value;
        }

        return copy;
    }

    private static void ValidateRateLimit(int? rateLimit)
    {
        if (rateLimit is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rateLimit), rateLimit, "The rate limit must be positive.");
        }
    }

    private static bool IsToken(string name)
    {
        foreach (var c in name)
        {
            if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string>? source) =>
        source is null ? [] : new Dictionary<string, string>(source, StringComparer.Ordinal);
}
