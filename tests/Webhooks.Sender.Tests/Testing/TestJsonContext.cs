using System.Text.Json.Serialization;

namespace Webhooks.Sender.Tests.Testing;

[JsonSerializable(typeof(OrderCreated))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
