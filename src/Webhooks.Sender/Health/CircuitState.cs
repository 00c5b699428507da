namespace Webhooks.Sender.Health;

/// <summary>The state of an endpoint's circuit.</summary>
internal enum CircuitState
{
    /// <summary>Attempts run; failures in a row are counted.</summary>
    Closed,

    /// <summary>Attempts pause until the break ends.</summary>
    Open,

    /// <summary>The break is over and one probe attempt is running (or may run).</summary>
    HalfOpen,
}
