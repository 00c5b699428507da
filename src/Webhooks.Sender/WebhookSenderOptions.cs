using System.Text.Json;
using Webhooks.Sender.Health;
using Webhooks.Sender;
using Webhooks.Sender.Security;

namespace Webhooks.Sender;

/// <summary>Options of the webhook sender: the retry schedule, timeouts, concurrency and the dispatcher's lease.</summary>
public sealed class WebhookSenderOptions
{
    /// <summary>The configuration section conventionally used for these options: <c>Webhooks:Sender</c>.</summary>
    public const string SectionName = "Webhooks:Sender";

    /// <summary>Gets the default waits before each retry: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (the first attempt is immediate).</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetryDelays { get; } =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    /// <summary>
    /// Gets or sets the waits before each retry, after a failed attempt. The first attempt is made at once; a delivery
    /// makes at most <c>RetryDelays.Count + 1</c> attempts. Binding from configuration replaces the default list.
    /// </summary>
    /// <value>The default is <see cref="DefaultRetryDelays"/>: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</value>
    public IList<TimeSpan> RetryDelays { get; set; } = [.. DefaultRetryDelays];

    /// <summary>
    /// Gets or sets the additive jitter, as a fraction of each retry delay: a retry waits the delay plus a random
    /// amount from zero up to <c>delay × RetryJitter</c>, never less than the delay. From 0 to 1.
    /// </summary>
    /// <value>The default is 0.2.</value>
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> honoured on 429, 502, 503 and 504; longer values are capped.
    /// </summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long one attempt (connect, send, response headers and excerpt) may take.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the most deliveries the dispatcher claims from the store at once.</summary>
    /// <value>The default is 32.</value>
    public int BatchSize { get; set; } = 32;

    /// <summary>Gets or sets the most attempts running at the same time in this process.</summary>
    /// <value>The default is 32.</value>
    public int MaxConcurrentAttempts { get; set; } = 32;

    /// <summary>Gets or sets the most attempts running at the same time to one subscription's endpoint.</summary>
    /// <value>The default is 4.</value>
    public int MaxConcurrentAttemptsPerEndpoint { get; set; } = 4;

    /// <summary>
    /// Gets or sets how long a claimed delivery stays reserved for this process. If the process dies, another one may
    /// claim the delivery after this time. Must be longer than <see cref="AttemptTimeout"/>.
    /// </summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets how often the dispatcher looks at the store when nothing wakes it (publishing in this process
    /// wakes it at once; messages published by other processes are found by this poll).
    /// </summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long shutdown waits for running attempts to finish. Attempts still running after it are
    /// cancelled and their deliveries handed back to the store, to be retried.
    /// </summary>
    /// <value>The default is 20 seconds.</value>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets how many bytes of each response body are kept in the attempt log.</summary>
    /// <value>The default is 1024.</value>
    public int ResponseExcerptLength { get; set; } = 1024;

    /// <summary>Gets or sets the <c>User-Agent</c> header sent with every request.</summary>
    /// <value>The default is <c>Webhooks.Sender/&lt;version&gt;</c>.</value>
    public string UserAgent { get; set; } = DefaultUserAgent;

    /// <summary>Gets or sets how long the previous secret keeps signing after a rotation, when the rotation does not say.</summary>
    /// <value>The default is 24 hours.</value>
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets how long the subscriptions matching a tenant and event type are cached for publishing. Changes
    /// made through this process clear the cache at once; changes made by other processes show after at most this time.
    /// <see cref="TimeSpan.Zero"/> turns the cache off.
    /// </summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan SubscriptionCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets a value indicating whether this process runs the dispatcher. Turn it off in processes that only
    /// publish while others (sharing a durable store) deliver.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>
    /// Gets the endpoint health options: when a failing subscription is disabled (and the callback that tells its
    /// owner), the per-endpoint circuit breaker and the per-endpoint rate limit. Bound from the <c>EndpointHealth</c>
    /// subsection.
    /// </summary>
    /// <value>The default is a new <see cref="WebhookEndpointHealthOptions"/>: disable after 5 days of failures or on 410 Gone, pause an endpoint for 30 s after 5 failures in a row, no rate limit.</value>
    public WebhookEndpointHealthOptions EndpointHealth { get; } = new();

    /// <summary>Gets or sets the serializer options for payloads published without a <c>JsonTypeInfo</c>.</summary>
    /// <value>The default is <see langword="null"/>: the web defaults (camelCase property names).</value>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>
    /// Gets the SSRF protection: which endpoint URLs subscriptions may use and which addresses the sender may connect
    /// to (bound from the <c>Ssrf</c> sub-section).
    /// </summary>
    /// <value>The default refuses loopback, private, link-local, CGNAT, multicast, reserved and cloud metadata addresses,
    /// and requires https outside the Development environment.</value>
    public WebhookSsrfOptions Ssrf { get; } = new();

    internal static string DefaultUserAgent { get; } =
        "Webhooks.Sender/" + (typeof(WebhookSenderOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
