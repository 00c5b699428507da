namespace Webhooks.Sender.Delivery;

/// <summary>What the dispatch loop is doing.</summary>
internal enum DispatcherLoopState
{
    /// <summary>The host has not started it yet.</summary>
    NotStarted,

    /// <summary>It is claiming and waiting.</summary>
    Running,

    /// <summary>It has ended (the host stopped it, or it failed).</summary>
    Stopped,

    /// <summary><see cref="WebhookSenderOptions.DispatcherEnabled"/> is off: this instance only publishes.</summary>
    Disabled,
}
