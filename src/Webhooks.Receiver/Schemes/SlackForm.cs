using System.Buffers;
using System.Text.Json;
using Webhooks.Receiver.Internal;

namespace Webhooks.Receiver.Schemes;

/// <summary>
/// Slack's form-encoded requests. Interactivity (<c>payload=&lt;json&gt;</c>): the type is the payload's <c>type</c>
/// (<c>block_actions</c>, <c>view_submission</c>, ...) and handlers receive the payload JSON. Slash commands: the type is
/// the command (<c>/deploy</c>), the id its <c>trigger_id</c>, and handlers receive the form fields as a JSON object of strings.
/// </summary>
internal static class SlackForm
{
    public static WebhookSignatureResult Read(ReadOnlySpan<byte> body, string replayKey, DateTimeOffset? sent)
    {
        var form = FormBody.Parse(body);
        if (form is null)
        {
            return WebhookSignatureResult.FromPayload(null, null, sent);
        }

        if (FormBody.Payload(form) is { } payload)
        {
            var fields = new JsonFields.Slack();
            JsonFields.TryVisit(payload, ref fields, JsonFields.Slack.Visitor);
            return WebhookSignatureResult.FromPayload(replayKey, fields.Type, sent, payload);
        }

        if (form.TryGetValue("command", out var command) && command.Count == 1)
        {
            var id = form.TryGetValue("trigger_id", out var trigger) && trigger.Count == 1 ? trigger[0] : replayKey;
            return WebhookSignatureResult.FromPayload(id, command[0], sent, ToJson(form));
        }

        return WebhookSignatureResult.FromPayload(null, null, sent);
    }

    private static byte[] ToJson(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in form)
            {
                writer.WriteString(name, values.ToString());
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
