using Microsoft.AspNetCore.Http;
using Webhooks.Core;

namespace Webhooks.Receiver.Internal;

/// <summary>Reads webhook headers strictly: one value each, ids and types of visible ASCII and bounded length.</summary>
internal static class WebhookHeaders
{
    /// <summary>The longest accepted message id or event type taken from a header.</summary>
    public const int MaxTokenLength = 256;

    /// <summary>Reads a header that must appear at most once; <see langword="null"/> when absent or empty.</summary>
    /// <returns><see langword="false"/> when the header is repeated.</returns>
    public static bool TryGetSingle(IHeaderDictionary headers, string name, out string? value)
    {
        var values = headers[name];
        switch (values.Count)
        {
            case 0:
                value = null;
                return true;
            case 1:
                value = string.IsNullOrEmpty(values[0]) ? null : values[0];
                return true;
            default:
                value = null;
                return false;
        }
    }

    /// <summary>Reads an id or event type header: present, single, visible ASCII, at most <see cref="MaxTokenLength"/> characters.</summary>
    /// <returns><see langword="null"/> when valid, else the failure.</returns>
    public static WebhookVerificationStatus? ReadToken(IHeaderDictionary headers, string name, out string? value)
    {
        if (!TryGetSingle(headers, name, out value))
        {
            return WebhookVerificationStatus.MalformedHeader;
        }

        if (value is null)
        {
            return WebhookVerificationStatus.MissingHeader;
        }

        return IsToken(value) ? null : WebhookVerificationStatus.MalformedHeader;
    }

    /// <summary>Returns whether a value is 1 to <see cref="MaxTokenLength"/> visible ASCII characters.</summary>
    public static bool IsToken(string value)
    {
        if (value.Length is 0 or > MaxTokenLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads the headers of a provider that names the message id and event type in headers (GitHub, Shopify).</summary>
    /// <returns><see langword="null"/> when all three are usable, else the failure.</returns>
    public static WebhookVerificationStatus? ReadProviderHeaders(
        IHeaderDictionary headers, string signatureName, string idName, string typeName, out string? signature, out string? id, out string? type)
    {
        var idFailure = ReadToken(headers, idName, out id);
        var typeFailure = ReadToken(headers, typeName, out type);
        return TryGetSingle(headers, signatureName, out signature) ? idFailure ?? typeFailure : WebhookVerificationStatus.MalformedHeader;
    }
}
