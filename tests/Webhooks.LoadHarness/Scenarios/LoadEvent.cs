using System.Text.Json.Serialization;

namespace Webhooks.LoadHarness.Scenarios;

/// <summary>The event the sender scenario publishes: about 1 KiB of JSON inside the envelope.</summary>
internal sealed record LoadEvent(int Sequence, string Customer, string Notes)
{
    public const string EventType = "load.test";

    public static LoadEvent Sample(int sequence) => new(sequence, "cus_0123456789abcdef", new string('x', 900));
}

/// <summary>Source-generated JSON for <see cref="LoadEvent"/>, as an app that cares about publish cost would use.</summary>
[JsonSerializable(typeof(LoadEvent))]
internal sealed partial class HarnessJsonContext : JsonSerializerContext;
