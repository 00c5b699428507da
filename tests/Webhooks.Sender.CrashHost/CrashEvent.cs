namespace Webhooks.Sender.CrashHost;

/// <summary>The event the crash host publishes: a sequence number the receiver can count.</summary>
/// <param name="Seq">0 to N - 1.</param>
public sealed record CrashEvent(int Seq)
{
    /// <summary>The event type.</summary>
    public const string EventType = "crash.test";
}
