using System.Text.Json;
using Webhooks.Core;
using Webhooks.Receiver.Schemes;

namespace Webhooks.Receiver;

/// <summary>The options of one webhook receiver (named after the receiver; the default receiver has the empty name).</summary>
public sealed class WebhookReceiverOptions
{
    /// <summary>The default body size limit: 1 MiB.</summary>
    public const long DefaultMaxBodySize = 1024 * 1024;

    /// <summary>The default timestamp tolerance, in both directions: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The default time the whole body may take to arrive: 30 seconds.</summary>
    public static readonly TimeSpan DefaultBodyReadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default time a processed message id is remembered: 24 hours.</summary>
    public static readonly TimeSpan DefaultIdempotencyRetention = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the signature scheme the receiver verifies.</summary>
    /// <value>The default is <see cref="WebhookReceiverScheme.StandardWebhooks"/>. Ignored when <see cref="CustomScheme"/> is set.</value>
    public WebhookReceiverScheme Scheme { get; set; } = WebhookReceiverScheme.StandardWebhooks;

    /// <summary>Gets or sets a scheme of your own, used instead of <see cref="Scheme"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IWebhookSignatureScheme? CustomScheme { get; set; }

    /// <summary>
    /// Gets the accepted secrets. Several secrets allow rotation: a request is genuine when it matches any of them.
    /// For Standard Webhooks each is a <c>whsec_</c> secret (or bare base64); for GitHub, Stripe, Shopify and Slack
    /// it is the provider's secret exactly as the provider shows it (for Stripe, the whole <c>whsec_...</c> string).
    /// </summary>
    /// <value>The default is an empty list: at least one secret is required (checked at start-up).</value>
    public IList<string> Secrets { get; } = [];

    /// <summary>Gets or sets how far the sender's timestamp may be from now, in both directions, for schemes that sign one.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan Tolerance { get; set; } = DefaultTolerance;

    /// <summary>
    /// Gets or sets the largest accepted body, in bytes, however it is framed (<c>Content-Length</c> or chunked); larger
    /// requests get 413. The receiver's buffer grows with the bytes that arrive, not with the declared length, so this is
    /// what one request can hold at most, not what every request holds.
    /// </summary>
    /// <value>The default is 1 MiB (1,048,576 bytes).</value>
    public long MaxBodySize { get; set; } = DefaultMaxBodySize;

    /// <summary>
    /// Gets or sets how long the whole body may take to arrive, from the moment the receiver starts reading it; a slower
    /// body gets 408 and its buffer is returned. This bounds how long a client can hold memory without sending its body
    /// (Kestrel's <c>MinRequestBodyDataRate</c>, 240 bytes/s after 5 s by default, bounds a stalled one sooner).
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan BodyReadTimeout { get; set; } = DefaultBodyReadTimeout;

    /// <summary>
    /// Gets or sets how long a processed message id is remembered, so a replay or a retry of a handled message is not
    /// handled again. The receiver always keeps an id for at least twice <see cref="Tolerance"/>, whatever this says.
    /// </summary>
    /// <value>The default is 24 hours.</value>
    public TimeSpan IdempotencyRetention { get; set; } = DefaultIdempotencyRetention;

    /// <summary>
    /// Gets or sets how long a message id stays claimed while its handlers run; a duplicate arriving meanwhile gets 409.
    /// After this time a claim left behind (a crashed process, a hung handler) no longer blocks a retry.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the status code answered for a genuine event with no handler (and no fallback handler).</summary>
    /// <value>The default is 200, so the sender does not retry an event this app does not care about.</value>
    public int UnhandledEventStatusCode { get; set; } = StatusCodesOk;

    /// <summary>
    /// Gets or sets the serializer options used to read payloads, or <see langword="null"/> for the scheme's defaults.
    /// Set options of your own (with a <c>TypeInfoResolver</c> for trimmed or native AOT apps) to override them; they are
    /// used as given, whatever the scheme.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: the web defaults (case-insensitive names, numbers from strings) with
    /// camelCase names for Standard Webhooks and custom schemes, and snake_case names
    /// (<see cref="JsonNamingPolicy.SnakeCaseLower"/>: <c>pull_request</c> binds <c>PullRequest</c>) for GitHub, Stripe,
    /// Shopify and Slack, whose payloads use them. <see cref="DefaultJsonSerializerOptions(WebhookReceiverScheme)"/>
    /// returns them, to start your own from.
    /// </value>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    private const int StatusCodesOk = 200;

    /// <summary>Creates the serializer options a scheme reads payloads with when <see cref="JsonSerializerOptions"/> is not set.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <returns>New, mutable options: the web defaults, with snake_case names for the provider schemes.</returns>
    public static JsonSerializerOptions DefaultJsonSerializerOptions(WebhookReceiverScheme scheme) =>
        scheme is WebhookReceiverScheme.GitHub or WebhookReceiverScheme.Stripe or WebhookReceiverScheme.Shopify or WebhookReceiverScheme.Slack
            ? new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }
            : new(JsonSerializerDefaults.Web);

    /// <summary>Verifies Standard Webhooks (and Svix) signatures; the default.</summary>
    /// <param name="secrets">Secrets to add (<c>whsec_...</c>), if any.</param>
    /// <returns>These options.</returns>
    public WebhookReceiverOptions UseStandardWebhooks(params string[] secrets) => Use(WebhookReceiverScheme.StandardWebhooks, secrets);

    /// <summary>Verifies Standard Webhooks (and Svix) signatures with the given secret.</summary>
    /// <param name="secret">The secret.</param>
    /// <returns>These options.</returns>
    public WebhookReceiverOptions UseStandardWebhooks(WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Use(WebhookReceiverScheme.StandardWebhooks, [secret.RevealEncoded()]);
    }

    /// <summary>Verifies GitHub signatures (<c>X-Hub-Signature-256</c>).</summary>
    /// <param name="secret">The webhook secret set in GitHub.</param>
    /// <returns>These options. A null or empty secret fails start-up with a message naming the receiver.</returns>
    public WebhookReceiverOptions UseGitHub(string secret) => UseProvider(WebhookReceiverScheme.GitHub, secret);

    /// <summary>Verifies Stripe signatures (<c>Stripe-Signature</c>).</summary>
    /// <param name="secret">The endpoint's signing secret, the whole <c>whsec_...</c> string.</param>
    /// <returns>These options. A null or empty secret fails start-up with a message naming the receiver.</returns>
    public WebhookReceiverOptions UseStripe(string secret) => UseProvider(WebhookReceiverScheme.Stripe, secret);

    /// <summary>Verifies Shopify signatures (<c>X-Shopify-Hmac-SHA256</c>).</summary>
    /// <param name="secret">The app's client secret (or the webhook signing secret shown in the admin).</param>
    /// <returns>These options. A null or empty secret fails start-up with a message naming the receiver.</returns>
    public WebhookReceiverOptions UseShopify(string secret) => UseProvider(WebhookReceiverScheme.Shopify, secret);

    /// <summary>Verifies Slack request signatures (<c>X-Slack-Signature</c>, <c>v0</c>).</summary>
    /// <param name="secret">The app's signing secret.</param>
    /// <returns>These options. A null or empty secret fails start-up with a message naming the receiver.</returns>
    public WebhookReceiverOptions UseSlack(string secret) => UseProvider(WebhookReceiverScheme.Slack, secret);

    /// <summary>Verifies requests with a scheme of your own.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <returns>These options.</returns>
    public WebhookReceiverOptions UseScheme(IWebhookSignatureScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        CustomScheme = scheme;
        return this;
    }

    // A null or empty secret (typically a configuration value that is not set) is kept, so start-up fails with a
    // message that names the receiver and the fix rather than an exception that names neither.
    private WebhookReceiverOptions UseProvider(WebhookReceiverScheme scheme, string? secret) => Use(scheme, [secret ?? string.Empty]);

    private WebhookReceiverOptions Use(WebhookReceiverScheme scheme, string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        Scheme = scheme;
        CustomScheme = null;
        foreach (var secret in secrets)
        {
            Secrets.Add(secret);
        }

        return this;
    }
}
