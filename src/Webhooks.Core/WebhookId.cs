namespace Webhooks.Core;

/// <summary>
/// Time-sortable unique ids: a prefix and 26 Crockford base32 characters (48-bit millisecond time and
/// 80 random bits, like a ULID), for example <c>msg_01JD9Z6W3Q8XG5V2K7M4N0P1RS</c>.
/// </summary>
public static class WebhookId
{
    /// <summary>The prefix of message ids: <c>msg_</c>.</summary>
    public const string MessagePrefix = "msg_";

    /// <summary>The prefix of subscription ids: <c>sub_</c>.</summary>
    public const string SubscriptionPrefix = "sub_";

    /// <summary>The prefix of delivery ids: <c>dlv_</c>.</summary>
    public const string DeliveryPrefix = "dlv_";

    /// <summary>The prefix of attempt ids: <c>atm_</c>.</summary>
    public const string AttemptPrefix = "atm_";

    /// <summary>Creates a new message id.</summary>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The id.</returns>
    public static string NewMessageId(TimeProvider? timeProvider = null) => New(MessagePrefix, timeProvider);

    /// <summary>Creates a new id with the given prefix. Ids created later sort after earlier ones (to the millisecond).</summary>
    /// <param name="prefix">The prefix, for example <c>msg_</c>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The id.</returns>
    public static string New(string prefix, TimeProvider? timeProvider = null) => throw new NotImplementedException();
}
