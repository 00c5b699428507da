using System.Globalization;
using Webhooks.Core;
using Webhooks.Core.Schemes;

namespace Webhooks.Testing;

/// <summary>
/// Signs test requests the way a provider does, with the library's own signature schemes (Webhooks.Core). Immutable:
/// each <c>With*</c> method returns a changed copy, so one signer per secret can be shared by a test class.
/// </summary>
/// <example>
/// <code>
/// var signer = WebhookTestSigner.StandardWebhooks(secret);
/// await client.PostWebhookAsync("/webhooks", new OrderCreated(42), signer);                            // 200
/// await client.PostWebhookAsync("/webhooks", new OrderCreated(42), signer.WithStaleTimestamp());       // 401
/// </code>
/// </example>
public sealed class WebhookTestSigner
{
    /// <summary>The age of a timestamp made stale by <see cref="WithStaleTimestamp(TimeSpan?)"/> without an age: twice the usual 5-minute tolerance.</summary>
    public static readonly TimeSpan DefaultStaleAge = TimeSpan.FromMinutes(10);

    private readonly WebhookSecret? _standardSecret;
    private readonly string? _providerSecret;
    private TimeProvider _time = TimeProvider.System;
    private DateTimeOffset? _timestamp;
    private TimeSpan _age;
    private bool _wrongSignature;
    private string[] _omitted = [];

    private WebhookTestSigner(WebhookTestScheme scheme, WebhookSecret? standardSecret, string? providerSecret)
    {
        Scheme = scheme;
        _standardSecret = standardSecret;
        _providerSecret = providerSecret;
    }

    /// <summary>Gets the scheme this signer signs with.</summary>
    public WebhookTestScheme Scheme { get; }

    /// <summary>Gets the message id set with <see cref="WithMessageId(string)"/>, or <see langword="null"/> for a new id per request.</summary>
    public string? MessageId { get; private set; }

    /// <summary>
    /// Gets the event type set with <see cref="WithEventType(string)"/>: GitHub's <c>X-GitHub-Event</c>, Shopify's
    /// <c>X-Shopify-Topic</c>, or the envelope type of a typed Standard Webhooks payload.
    /// </summary>
    /// <value>The default is <see langword="null"/>: <c>ping</c> for GitHub, <c>orders/create</c> for Shopify, the payload's <see cref="WebhookEventAttribute"/> for Standard Webhooks.</value>
    public string? EventType { get; private set; }

    /// <summary>Creates a Standard Webhooks signer (the format our sender sends).</summary>
    /// <param name="secret">The endpoint's secret.</param>
    /// <returns>The signer.</returns>
    public static WebhookTestSigner StandardWebhooks(WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new(WebhookTestScheme.StandardWebhooks, secret, null);
    }

    /// <summary>Creates a Standard Webhooks signer from an encoded secret (<c>whsec_</c> + base64, with or without the prefix).</summary>
    /// <param name="secret">The encoded secret.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="ArgumentException">The secret is not a valid Standard Webhooks secret (the message says why, without the secret).</exception>
    public static WebhookTestSigner StandardWebhooks(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return WebhookSecret.TryParse(secret, out var parsed, out var error)
            ? StandardWebhooks(parsed)
            : throw new ArgumentException($"The secret is not a valid Standard Webhooks secret: {error}", nameof(secret));
    }

    /// <summary>Creates a GitHub signer.</summary>
    /// <param name="secret">The webhook's secret.</param>
    /// <returns>The signer.</returns>
    public static WebhookTestSigner GitHub(string secret) => Provider(WebhookTestScheme.GitHub, secret);

    /// <summary>Creates a Stripe signer.</summary>
    /// <param name="secret">The endpoint's signing secret (<c>whsec_...</c>, used as text, as Stripe does).</param>
    /// <returns>The signer.</returns>
    public static WebhookTestSigner Stripe(string secret) => Provider(WebhookTestScheme.Stripe, secret);

    /// <summary>Creates a Shopify signer.</summary>
    /// <param name="secret">The app's client secret.</param>
    /// <returns>The signer.</returns>
    public static WebhookTestSigner Shopify(string secret) => Provider(WebhookTestScheme.Shopify, secret);

    /// <summary>Creates a Slack signer.</summary>
    /// <param name="signingSecret">The app's signing secret.</param>
    /// <returns>The signer.</returns>
    public static WebhookTestSigner Slack(string signingSecret) => Provider(WebhookTestScheme.Slack, signingSecret);

    /// <summary>Creates a signer for a scheme chosen at run time.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <param name="secret">The secret, as the scheme's factory method takes it.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scheme"/> is not a defined value.</exception>
    public static WebhookTestSigner Create(WebhookTestScheme scheme, string secret) => scheme switch
    {
        WebhookTestScheme.StandardWebhooks => StandardWebhooks(secret),
        WebhookTestScheme.GitHub or WebhookTestScheme.Stripe or WebhookTestScheme.Shopify or WebhookTestScheme.Slack => Provider(scheme, secret),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Use one of the WebhookTestScheme values."),
    };

    /// <summary>Returns a copy that reads "now" from <paramref name="timeProvider"/> (a fake clock shared with the app under test).</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The changed copy.</returns>
    public WebhookTestSigner WithTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Copy(c => c._time = timeProvider);
    }

    /// <summary>Returns a copy that signs with a fixed timestamp.</summary>
    /// <param name="timestamp">The timestamp (whole seconds are sent).</param>
    /// <returns>The changed copy.</returns>
    public WebhookTestSigner WithTimestamp(DateTimeOffset timestamp) => Copy(c => c._timestamp = timestamp);

    /// <summary>Returns a copy whose timestamp lies <paramref name="age"/> in the past, outside the receiver's tolerance.</summary>
    /// <param name="age">How old the timestamp is; <see cref="DefaultStaleAge"/> when <see langword="null"/>. A negative age makes it lie in the future.</param>
    /// <returns>The changed copy.</returns>
    /// <exception cref="NotSupportedException">The scheme signs no timestamp (GitHub, Shopify).</exception>
    public WebhookTestSigner WithStaleTimestamp(TimeSpan? age = null)
    {
        if (Scheme is WebhookTestScheme.GitHub or WebhookTestScheme.Shopify)
        {
            throw new NotSupportedException($"{Scheme} signs no timestamp, so a request cannot be stale; test replays with WithMessageId instead.");
        }

        return Copy(c => c._age = age ?? DefaultStaleAge);
    }

    /// <summary>Returns a copy whose signature is well formed but made with another secret, so verification fails.</summary>
    /// <returns>The changed copy.</returns>
    public WebhookTestSigner WithWrongSignature() => Copy(c => c._wrongSignature = true);

    /// <summary>Returns a copy that sends this message id (to test replays and idempotency).</summary>
    /// <param name="messageId">The id.</param>
    /// <returns>The changed copy.</returns>
    /// <exception cref="NotSupportedException">The scheme carries the id in the body (Stripe, Slack).</exception>
    public WebhookTestSigner WithMessageId(string messageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        if (Scheme is WebhookTestScheme.Stripe or WebhookTestScheme.Slack)
        {
            throw new NotSupportedException($"{Scheme} carries the event id in the body: put it in the payload.");
        }

        return Copy(c => c.MessageId = messageId);
    }

    /// <summary>Returns a copy that sends this event type (see <see cref="EventType"/>).</summary>
    /// <param name="eventType">The event type, for example <c>pull_request</c> or <c>orders/paid</c>.</param>
    /// <returns>The changed copy.</returns>
    /// <exception cref="NotSupportedException">The scheme carries the type in the body only (Stripe, Slack).</exception>
    public WebhookTestSigner WithEventType(string eventType)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        if (Scheme is WebhookTestScheme.Stripe or WebhookTestScheme.Slack)
        {
            throw new NotSupportedException($"{Scheme} carries the event type in the body: put it in the payload.");
        }

        return Copy(c => c.EventType = eventType);
    }

    /// <summary>Returns a copy that leaves out a header (to test a missing header); the name is matched ignoring case.</summary>
    /// <param name="headerName">The header, for example <c>webhook-signature</c>.</param>
    /// <returns>The changed copy.</returns>
    public WebhookTestSigner WithoutHeader(string headerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(headerName);
        return Copy(c => c._omitted = [.. _omitted, headerName]);
    }

    /// <summary>Signs a body: the headers to send with it, exactly these bytes.</summary>
    /// <param name="body">The body as sent.</param>
    /// <returns>The headers.</returns>
    public WebhookTestSignature Sign(ReadOnlySpan<byte> body)
    {
        var timestamp = SigningTime().ToUnixTimeSeconds();
        var ts = timestamp.ToString(CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>>(3);
        string signature;
        string? id = null;
        long? signedAt = timestamp;
        switch (Scheme)
        {
            case WebhookTestScheme.StandardWebhooks:
                id = MessageId ?? WebhookId.NewMessageId(_time);
                var key = _wrongSignature ? WebhookSecret.Generate() : _standardSecret!;
                signature = StandardWebhook.Sign(key, id, timestamp, body);
                headers.Add(new(StandardWebhookHeaders.Id, id));
                headers.Add(new(StandardWebhookHeaders.Timestamp, ts));
                headers.Add(new(StandardWebhookHeaders.Signature, signature));
                break;
            case WebhookTestScheme.GitHub:
                id = MessageId ?? Guid.NewGuid().ToString();
                signature = GitHubWebhookSignature.Sign(ProviderKey(), body);
                signedAt = null;
                headers.Add(new(GitHubWebhookSignature.DeliveryHeader, id));
                headers.Add(new(GitHubWebhookSignature.EventHeader, EventType ?? "ping"));
                headers.Add(new(GitHubWebhookSignature.SignatureHeader, signature));
                break;
            case WebhookTestScheme.Stripe:
                signature = StripeWebhookSignature.Sign(ProviderKey(), timestamp, body);
                headers.Add(new(StripeWebhookSignature.SignatureHeader, signature));
                break;
            case WebhookTestScheme.Shopify:
                id = MessageId ?? Guid.NewGuid().ToString();
                signature = ShopifyWebhookSignature.Sign(ProviderKey(), body);
                signedAt = null;
                headers.Add(new(ShopifyWebhookSignature.WebhookIdHeader, id));
                headers.Add(new(ShopifyWebhookSignature.TopicHeader, EventType ?? "orders/create"));
                headers.Add(new(ShopifyWebhookSignature.HmacHeader, signature));
                break;
            default:
                signature = SlackWebhookSignature.Sign(ProviderKey(), timestamp, body);
                headers.Add(new(SlackWebhookSignature.TimestampHeader, ts));
                headers.Add(new(SlackWebhookSignature.SignatureHeader, signature));
                break;
        }

        headers.RemoveAll(h => Array.Exists(_omitted, o => string.Equals(o, h.Key, StringComparison.OrdinalIgnoreCase)));
        return new WebhookTestSignature(signature, id, signedAt, headers);
    }

    /// <summary>Gets the time this signer signs at now: the fixed timestamp, or the clock's time, less the stale age.</summary>
    internal DateTimeOffset SigningTime() => (_timestamp ?? _time.GetUtcNow()) - _age;

    /// <summary>Returns the scheme's name; never the secret.</summary>
    /// <returns>For example <c>WebhookTestSigner(StandardWebhooks)</c>.</returns>
    public override string ToString() => $"{nameof(WebhookTestSigner)}({Scheme})";

    private static WebhookTestSigner Provider(WebhookTestScheme scheme, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return new(scheme, null, secret);
    }

    // Another key of the same shape: the signature stays well formed and only the MAC is wrong.
    private string ProviderKey() => _wrongSignature ? "wrong-" + _providerSecret : _providerSecret!;

    private WebhookTestSigner Copy(Action<WebhookTestSigner> change)
    {
        var copy = new WebhookTestSigner(Scheme, _standardSecret, _providerSecret)
        {
            _time = _time,
            _timestamp = _timestamp,
            _age = _age,
            _wrongSignature = _wrongSignature,
            _omitted = _omitted,
            MessageId = MessageId,
            EventType = EventType,
        };
        change(copy);
        return copy;
    }
}
