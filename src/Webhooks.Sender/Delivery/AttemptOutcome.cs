namespace Webhooks.Sender.Delivery;

/// <summary>What an attempt means for its delivery (the outcome rules).</summary>
internal enum AttemptOutcome
{
    /// <summary>2xx: the delivery succeeded.</summary>
    Succeeded,

    /// <summary>Any other answer or error: retry on the schedule.</summary>
    Retry,

    /// <summary>410 Gone: fail the delivery and disable the subscription.</summary>
    Gone,

    /// <summary>413: the endpoint refuses these bytes, which never change; fail the delivery.</summary>
    Rejected,
}
