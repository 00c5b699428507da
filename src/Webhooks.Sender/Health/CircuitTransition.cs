namespace Webhooks.Sender.Health;

/// <summary>What reporting an outcome did to an endpoint's circuit.</summary>
internal enum CircuitTransition
{
    /// <summary>No change worth telling.</summary>
    None,

    /// <summary>The circuit opened: attempts to the endpoint pause.</summary>
    Opened,

    /// <summary>The circuit closed after a successful probe: attempts resume.</summary>
    Closed,
}
