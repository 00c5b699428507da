namespace Webhooks.Receiver;

/// <summary>
/// The options of one receiver's inbox (named after the receiver): how the background processor claims, retries and
/// retains the webhooks the receiver accepted. Set with <c>UseInbox(o =&gt; ...)</c>.
/// </summary>
public sealed class WebhookInboxOptions
{
    /// <summary>The default number of attempts before an item is dead: 8.</summary>
    public const int DefaultMaxAttempts = 8;

    /// <summary>The default number of items one receiver's processor handles at once: 4.</summary>
    public const int DefaultMaxConcurrency = 4;

    /// <summary>The default status code answered once a webhook is stored: 202 Accepted.</summary>
    public const int DefaultAcceptedStatusCode = 202;

    /// <summary>The default lease: 5 minutes.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromMinutes(5);

    /// <summary>The default poll interval: 1 second.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default time a processed item is kept (and its message id recognised as a duplicate): 7 days.</summary>
    public static readonly TimeSpan DefaultProcessedRetention = TimeSpan.FromDays(7);

    /// <summary>The default time a dead item is kept for inspection and replay: 30 days.</summary>
    public static readonly TimeSpan DefaultDeadRetention = TimeSpan.FromDays(30);

    /// <summary>The default interval between two retention runs: 10 minutes.</summary>
    public static readonly TimeSpan DefaultRetentionInterval = TimeSpan.FromMinutes(10);

    /// <summary>The delays used when <see cref="RetryDelays"/> is empty: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h.</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetryDelays { get; } =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
    ];

    /// <summary>
    /// Gets the delays between attempts: after the n-th failed attempt the item waits the n-th delay (the last one
    /// repeats). Left empty, <see cref="DefaultRetryDelays"/> apply (the configuration binder appends to this list).
    /// </summary>
    /// <value>The default is an empty list, meaning <see cref="DefaultRetryDelays"/>.</value>
    public IList<TimeSpan> RetryDelays { get; } = [];

    /// <summary>Gets or sets how many times the handlers run for one item before it is marked dead.</summary>
    /// <value>The default is 8.</value>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>
    /// Gets or sets how long a claimed item belongs to one processor. Its handlers' cancellation token is cancelled when
    /// the lease runs out; after that another instance may claim the item, so keep it longer than your slowest handler.
    /// A process that dies leaves its items to be claimed again once their leases run out.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = DefaultLeaseDuration;

    /// <summary>
    /// Gets or sets how often the processor looks for due items when it was not woken. A webhook accepted by this process
    /// wakes it at once; this bounds the delay for items accepted by another instance, retries and expired leases.
    /// </summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>Gets or sets how many items this receiver's processor handles at once in this process.</summary>
    /// <value>The default is 4.</value>
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>
    /// Gets or sets the status code answered once the webhook is stored durably: 202 says what happened (accepted, to be
    /// processed), and every provider treats any 2xx as delivered. A duplicate of a stored webhook gets 200.
    /// </summary>
    /// <value>The default is 202.</value>
    public int AcceptedStatusCode { get; set; } = DefaultAcceptedStatusCode;

    /// <summary>
    /// Gets or sets how long a processed item is kept. While it is kept, a retry or a replay of the same message id is
    /// answered 200 without being stored again; keep it longer than the sender retries.
    /// </summary>
    /// <value>The default is 7 days.</value>
    public TimeSpan ProcessedRetention { get; set; } = DefaultProcessedRetention;

    /// <summary>Gets or sets how long a dead item is kept for inspection and replay (<see cref="IWebhookInbox"/>).</summary>
    /// <value>The default is 30 days.</value>
    public TimeSpan DeadRetention { get; set; } = DefaultDeadRetention;

    /// <summary>Gets or sets how often expired items are purged, in bounded batches.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan RetentionInterval { get; set; } = DefaultRetentionInterval;

    /// <summary>Returns the delay before the attempt after <paramref name="failedAttempts"/> failed ones.</summary>
    internal TimeSpan DelayAfter(int failedAttempts)
    {
        IReadOnlyList<TimeSpan> delays = RetryDelays.Count > 0 ? [.. RetryDelays] : DefaultRetryDelays;
        return delays[Math.Clamp(failedAttempts - 1, 0, delays.Count - 1)];
    }
}
