namespace Webhooks.Receiver;

/// <summary>Where an inbox item is in its life.</summary>
public enum WebhookInboxState
{
    /// <summary>Stored, waiting for its (next) attempt.</summary>
    Pending = 0,

    /// <summary>Claimed by a processor, its handlers running (or its lease not yet run out).</summary>
    Processing = 1,

    /// <summary>Its handlers succeeded.</summary>
    Processed = 2,

    /// <summary>Its handlers failed on every attempt; it waits for a replay or the retention.</summary>
    Dead = 3,
}
