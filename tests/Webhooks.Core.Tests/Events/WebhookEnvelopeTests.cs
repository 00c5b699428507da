using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Webhooks.Core.Events;
using Webhooks.Core;

namespace Webhooks.Core.Tests.Events;

public partial class WebhookEnvelopeTests
{
    private static readonly DateTimeOffset Time = new(2024, 5, 1, 14, 30, 0, 123, TimeSpan.FromHours(2));

    [Fact]
    public void Serialize_SourceGenerated_WritesTypeTimestampDataInOrder()
    {
        var bytes = WebhookEnvelope.Serialize("order.created", Time, new OrderCreated(42, "Zoë"), TestJsonContext.Default.OrderCreated);

        Encoding.UTF8.GetString(bytes).Should().Be(
            """{"type":"order.created","timestamp":"2024-05-01T12:30:00.123Z","data":{"orderId":42,"customer":"Zo\u00EB"}}""");
    }

    [Fact]
    public void Serialize_Reflection_UsesWebDefaults()
    {
        var bytes = WebhookEnvelope.Serialize("order.created", new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero), new OrderCreated(7, "Ann"));

        Encoding.UTF8.GetString(bytes).Should().Be(
            """{"type":"order.created","timestamp":"2024-05-01T12:30:00Z","data":{"orderId":7,"customer":"Ann"}}""");
    }

    [Fact]
    public void Serialize_ReflectionWithOptions_HonoursNamingAndIndentation()
    {
        var options = new JsonSerializerOptions { WriteIndented = true };

        var text = Encoding.UTF8.GetString(WebhookEnvelope.Serialize("ping", Time, new OrderCreated(1, "A"), options));

        text.Should().Contain("\"OrderId\": 1").And.Contain("\n");
    }

    [Fact]
    public void Serialize_InvalidEventType_Throws()
    {
        var act = () => WebhookEnvelope.Serialize("order created", Time, new OrderCreated(1, "A"), TestJsonContext.Default.OrderCreated);

        act.Should().Throw<ArgumentException>().WithParameterName("eventType").WithMessage("*'order created'*");
    }

    [Fact]
    public void Serialize_NullTypeInfo_Throws()
    {
        var act = () => WebhookEnvelope.Serialize("ping", Time, new OrderCreated(1, "A"), (System.Text.Json.Serialization.Metadata.JsonTypeInfo<OrderCreated>)null!);

        act.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void RoundTrip_SourceGenerated_ReadsBackEverything()
    {
        var bytes = WebhookEnvelope.Serialize("order.created", Time, new OrderCreated(42, "Zoë"), TestJsonContext.Default.OrderCreated);

        WebhookEnvelope.TryRead(bytes, out var envelope).Should().BeTrue();

        envelope.Type.Should().Be("order.created");
        envelope.Timestamp.Should().Be(Time);
        envelope.HasData.Should().BeTrue();
        Encoding.UTF8.GetString(envelope.GetData(bytes)).Should().Be("""{"orderId":42,"customer":"Zo\u00EB"}""");
        WebhookEnvelope.DeserializeData(bytes, envelope, TestJsonContext.Default.OrderCreated).Should().Be(new OrderCreated(42, "Zoë"));
        WebhookEnvelope.DeserializeData<OrderCreated>(bytes, envelope).Should().Be(new OrderCreated(42, "Zoë"));
    }

    [Fact]
    public void TryRead_MembersInAnyOrderWithExtrasAndWhitespace_Works()
    {
        var json = Encoding.UTF8.GetBytes(" { \"id\": \"x\", \"data\" : [1, {\"a\": \"}\"}] , \"extra\": {\"type\": 1}, \"type\": \"invoice.paid\", \"timestamp\": \"2022-11-03T20:26:10.344522Z\" } \n");

        WebhookEnvelope.TryRead(json, out var envelope).Should().BeTrue();

        envelope.Type.Should().Be("invoice.paid");
        envelope.Timestamp.Should().Be(new DateTimeOffset(2022, 11, 3, 20, 26, 10, TimeSpan.Zero).AddTicks(3445220));
        Encoding.UTF8.GetString(envelope.GetData(json)).Should().Be("[1, {\"a\": \"}\"}]");
    }

    [Theory]
    [InlineData("{\"type\":\"ping\",\"data\":\"text\"}", "\"text\"")]
    [InlineData("{\"type\":\"ping\",\"data\":12.5}", "12.5")]
    [InlineData("{\"type\":\"ping\",\"data\":null}", "null")]
    [InlineData("{\"type\":\"ping\",\"data\":{}}", "{}")]
    public void TryRead_ScalarOrNullData_LocatesExactBytes(string json, string expectedData)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        WebhookEnvelope.TryRead(bytes, out var envelope).Should().BeTrue();

        Encoding.UTF8.GetString(envelope.GetData(bytes)).Should().Be(expectedData);
    }

    [Fact]
    public void TryRead_EscapedPropertyName_IsRecognised()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"\\u0074ype\":\"ping\"}");

        WebhookEnvelope.TryRead(bytes, out var envelope).Should().BeTrue();
        envelope.Type.Should().Be("ping");
    }

    [Fact]
    public void TryRead_OnlyType_HasNoDataOrTimestamp()
    {
        WebhookEnvelope.TryRead("{\"type\":\"ping\"}"u8, out var envelope).Should().BeTrue();

        envelope.HasData.Should().BeFalse();
        envelope.DataOffset.Should().Be(-1);
        envelope.DataLength.Should().Be(0);
        envelope.Timestamp.Should().BeNull();
        envelope.GetData("{\"type\":\"ping\"}"u8).IsEmpty.Should().BeTrue();
        WebhookEnvelope.DeserializeData("{\"type\":\"ping\"}"u8, envelope, TestJsonContext.Default.OrderCreated).Should().BeNull();
    }

    [Theory]
    [InlineData("{\"type\":\"ping\",\"timestamp\":\"yesterday\"}")]
    [InlineData("{\"type\":\"ping\",\"timestamp\":1700000000}")]
    [InlineData("{\"type\":\"ping\",\"timestamp\":{\"a\":1}}")]
    public void TryRead_BadTimestamp_ReadsAsNull(string json)
    {
        WebhookEnvelope.TryRead(Encoding.UTF8.GetBytes(json), out var envelope).Should().BeTrue();

        envelope.Timestamp.Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"ping\"")]
    [InlineData("{}")]
    [InlineData("{\"data\":{}}")]
    [InlineData("{\"type\":1}")]
    [InlineData("{\"type\":null}")]
    [InlineData("{\"type\":[\"ping\"]}")]
    [InlineData("{\"type\":\"ping\"")]
    [InlineData("{\"type\":\"ping\",}")]
    [InlineData("{\"type\":\"ping\"} {}")]
    [InlineData("{\"type\":\"ping\"}x")]
    [InlineData("{\"type\":\"ping\",\"data\":{\"a\":}")]
    [InlineData("{\"type\":\"ping\" /* comment */}")]
    [InlineData("{'type':'ping'}")]
    [InlineData("{\"type\":\"ping\",\"type\":\"order.created\"}")]
    [InlineData("{\"type\":\"ping\",\"data\":1,\"data\":2}")]
    [InlineData("{\"type\":\"ping\",\"timestamp\":\"2024-01-01T00:00:00Z\",\"timestamp\":\"2024-01-02T00:00:00Z\"}")]
    public void TryRead_NotAnEnvelope_ReturnsFalse(string json)
    {
        WebhookEnvelope.TryRead(Encoding.UTF8.GetBytes(json), out var envelope).Should().BeFalse();
        envelope.Should().Be(default(WebhookEnvelopeHeader));
    }

    [Fact]
    public void TryRead_InvalidUtf8_ReturnsFalse()
    {
        byte[] bytes = [.. "{\"type\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        WebhookEnvelope.TryRead(bytes, out _).Should().BeFalse();
    }

    [Fact]
    public void TryRead_TooDeep_ReturnsFalse()
    {
        var json = "{\"type\":\"ping\",\"data\":" + new string('[', 200) + new string(']', 200) + "}";

        WebhookEnvelope.TryRead(Encoding.UTF8.GetBytes(json), out _).Should().BeFalse();
    }

    [Fact]
    public void TryRead_RealGitHubPayload_IsNotAnEnvelope()
    {
        // GitHub's body is a JSON object without a "type" member.
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "github-pull_request-opened.json"));

        WebhookEnvelope.TryRead(body, out _).Should().BeFalse();
    }

    [Fact]
    public void DeserializeData_WrongShape_ThrowsJsonException()
    {
        var bytes = "{\"type\":\"order.created\",\"data\":{\"orderId\":\"not a number\"}}"u8.ToArray();
        WebhookEnvelope.TryRead(bytes, out var envelope).Should().BeTrue();

        var act = () => WebhookEnvelope.DeserializeData(bytes, envelope, TestJsonContext.Default.OrderCreated);

        act.Should().Throw<JsonException>();
    }

    public sealed record OrderCreated(int OrderId, string Customer);

    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(OrderCreated))]
    internal sealed partial class TestJsonContext : JsonSerializerContext;
}
