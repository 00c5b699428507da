using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Webhooks.Receiver.Internal;

/// <summary>Form-encoded bodies (<c>application/x-www-form-urlencoded</c>) that some providers send instead of JSON.</summary>
internal static class FormBody
{
    /// <summary>Returns whether a body looks form-encoded rather than JSON (it does not start with an object or array).</summary>
    public static bool IsForm(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] != (byte)'{' && trimmed[0] != (byte)'[';
    }

    /// <summary>Parses the fields; <see langword="null"/> when the body is not valid form encoding.</summary>
    public static Dictionary<string, StringValues>? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return QueryHelpers.ParseNullableQuery(Encoding.UTF8.GetString(body));
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Reads the single <c>payload</c> field (GitHub and Slack put their JSON there) as UTF-8 bytes.</summary>
    public static byte[]? Payload(Dictionary<string, StringValues>? form) =>
        form is not null && form.TryGetValue("payload", out var payload) && payload.Count == 1 ? Encoding.UTF8.GetBytes(payload[0]!) : null;
}
