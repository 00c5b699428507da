using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Tests.Internal;

/// <summary>Payload reads: the one-pass JsonElement read must accept and reject exactly what the serializer does.</summary>
public sealed class WebhookJsonTests
{
    public static TheoryData<string> Inputs { get; } =
    [
        """{"a":1}""",
        """ {"a":[1,2,{"b":null}]} """,
        "null",
        "12",
        "\"text\"",
        """{"a":1} x""",
        """{"a":1}{}""",
        "",
        "   ",
        """{"a":1,}""",
        "/*c*/{\"a\":1}",
        """{"a":1,"a":2}""",
        new string('[', 64) + new string(']', 64),
        new string('[', 65) + new string(']', 65),
        "\uFEFF{\"a\":1}",
    ];

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Deserialize_JsonElement_AcceptsAndRejectsWhatTheSerializerDoes(string input)
    {
        foreach (var options in (JsonSerializerOptions[])[
            new(JsonSerializerDefaults.Web),
            Strict()])
        {
            var json = WebhookJson.Create(options);
            var bytes = Encoding.UTF8.GetBytes(input);

            var expected = Read(() => JsonSerializer.Deserialize<JsonElement>(bytes, json.Options));
            var actual = Read(() => json.Deserialize<JsonElement>(bytes));

            actual.Should().Be(expected, "options {0}", JsonSerializer.Serialize(new { options.AllowTrailingCommas, options.ReadCommentHandling, options.MaxDepth }));
        }
    }

    // Every reader option set; duplicate properties are refused where the serializer can say so (.NET 9 and later).
    private static JsonSerializerOptions Strict() => new()
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 100,
#if NET9_0_OR_GREATER
        AllowDuplicateProperties = false,
#endif
    };

    [Fact]
    public void Deserialize_JsonElement_OutlivesTheBodyBuffer()
    {
        var json = WebhookJson.Create(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var body = Encoding.UTF8.GetBytes("""{"orderId":42}""");

        var element = json.Deserialize<JsonElement>(body);
        Array.Fill(body, (byte)' ');

        element.GetProperty("orderId").GetInt32().Should().Be(42);
    }

    [Fact]
    public void Deserialize_JsonElementWithCustomConverter_UsesTheConverter()
    {
        var json = WebhookJson.Create(new JsonSerializerOptions { Converters = { new ConstantElementConverter() } });

        var element = json.Deserialize<JsonElement>(Encoding.UTF8.GetBytes("""{"orderId":42}"""));

        element.GetString().Should().Be("from the converter");
    }

    private static string Read(Func<JsonElement> read)
    {
        try
        {
            var element = read();
            return $"{element.ValueKind}: {element.GetRawText()}";
        }
        catch (JsonException)
        {
            return "JsonException";
        }
    }

    private sealed class ConstantElementConverter : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            reader.Skip();
            using var document = JsonDocument.Parse("\"from the converter\"");
            return document.RootElement.Clone();
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);
    }
}
