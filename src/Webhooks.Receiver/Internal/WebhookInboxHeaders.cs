using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Webhooks.Receiver.Internal;

/// <summary>
/// The request headers an inbox item keeps for its handlers, as a JSON object of names to values: everything but
/// credentials and cookies, which the handlers of a verified webhook do not need and a store must not hold.
/// </summary>
internal static class WebhookInboxHeaders
{
    private static readonly string[] Dropped = ["Authorization", "Proxy-Authorization", "Cookie"];

    public static string Write(IHeaderDictionary headers)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in headers)
            {
                if (Array.FindIndex(Dropped, d => string.Equals(d, name, StringComparison.OrdinalIgnoreCase)) < 0)
                {
                    writer.WriteString(name, values.ToString());
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Read(string json, IHeaderDictionary into)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var header in document.RootElement.EnumerateObject())
        {
            into[header.Name] = header.Value.GetString();
        }
    }
}
