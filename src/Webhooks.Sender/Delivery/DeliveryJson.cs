using System.Text.Json.Serialization;

namespace Webhooks.Sender.Delivery;

/// <summary>Source-generated JSON metadata for the payloads the sender writes itself (test events).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DeliveryJson : JsonSerializerContext;
