using System.Globalization;
using System.Text.Json;
using Webhooks.Core;
using Webhooks.Core.Schemes;
using Webhooks.Testing;

namespace Webhooks.Cli;

/// <summary>The schemes the tool knows: names, secrets, verification with Webhooks.Core, and what a request says about itself.</summary>
internal static class Schemes
{
    public const string Names = "standard|github|stripe|shopify|slack";

    public static WebhookTestScheme Parse(CommandLine line) => line.Get("scheme") switch
    {
        null or "standard" => WebhookTestScheme.StandardWebhooks,
        "github" => WebhookTestScheme.GitHub,
        "stripe" => WebhookTestScheme.Stripe,
        "shopify" => WebhookTestScheme.Shopify,
        "slack" => WebhookTestScheme.Slack,
        var other => throw new UsageException($"--scheme must be one of {Names}, not '{other}'."),
    };

    /// <summary>Creates the signer for <c>--secret</c>; a bad Standard Webhooks secret is a usage error that does not repeat the secret.</summary>
    public static WebhookTestSigner Signer(WebhookTestScheme scheme, string secret)
    {
        try
        {
            return WebhookTestSigner.Create(scheme, secret);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--secret: {ex.Message.Replace(" (Parameter 'secret')", string.Empty, StringComparison.Ordinal)}");
        }
    }

    /// <summary>The headers a request of this scheme carries: the signature, and the id and timestamp where the scheme has them.</summary>
    public static (string Signature, string? Id, string? Timestamp) HeaderNames(WebhookTestScheme scheme) => scheme switch
    {
        WebhookTestScheme.StandardWebhooks => (StandardWebhookHeaders.Signature, StandardWebhookHeaders.Id, StandardWebhookHeaders.Timestamp),
        WebhookTestScheme.GitHub => (GitHubWebhookSignature.SignatureHeader, GitHubWebhookSignature.DeliveryHeader, null),
        WebhookTestScheme.Stripe => (StripeWebhookSignature.SignatureHeader, null, null),
        WebhookTestScheme.Shopify => (ShopifyWebhookSignature.HmacHeader, ShopifyWebhookSignature.WebhookIdHeader, null),
        _ => (SlackWebhookSignature.SignatureHeader, null, SlackWebhookSignature.TimestampHeader),
    };

    /// <summary>Verifies with the library's own verifiers.</summary>
    public static WebhookVerificationStatus Verify(
        WebhookTestScheme scheme, string secret, string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        string[] secrets = [secret];
        return scheme switch
        {
            WebhookTestScheme.StandardWebhooks => StandardWebhook.Verify(body, id, timestamp, signature, [WebhookSecret.Parse(secret)], now, tolerance).Status,
            WebhookTestScheme.GitHub => GitHubWebhookSignature.Verify(body, signature, secrets).Status,
            WebhookTestScheme.Stripe => StripeWebhookSignature.Verify(body, signature, secrets, now, tolerance).Status,
            WebhookTestScheme.Shopify => ShopifyWebhookSignature.Verify(body, signature, secrets).Status,
            _ => SlackWebhookSignature.Verify(body, timestamp, signature, secrets, now, tolerance).Status,
        };
    }

    /// <summary>Says why a verification failed, in words a developer can act on.</summary>
    public static string Describe(WebhookVerificationStatus status, string? timestamp, DateTimeOffset now, TimeSpan tolerance)
    {
        var signedAt = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("u", CultureInfo.InvariantCulture) : timestamp;
        var clock = $"signed at {signedAt}, now {now.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)}, tolerance {tolerance.TotalSeconds:0} s; pass --now to check at another time";
        return status switch
        {
            WebhookVerificationStatus.Valid => "valid",
            WebhookVerificationStatus.MissingHeader => "a required header or value is missing (id, timestamp or signature)",
            WebhookVerificationStatus.MalformedHeader => "the signature is malformed for this scheme (check --scheme)",
            WebhookVerificationStatus.MalformedTimestamp => "the timestamp is not unix seconds",
            WebhookVerificationStatus.TimestampTooOld => $"the timestamp is too old ({clock})",
            WebhookVerificationStatus.TimestampTooNew => $"the timestamp is too far in the future ({clock})",
            WebhookVerificationStatus.NoMatchingSignature => "no signature matches: the secret is wrong, or the body, id or timestamp differ from what was signed",
            _ => status.ToString(),
        };
    }

    /// <summary>Reads the event type and id a request carries, from its headers or its body depending on the scheme.</summary>
    public static (string? Type, string? Id) Describe(WebhookTestScheme scheme, Func<string, string?> header, ReadOnlySpan<byte> body)
    {
        var json = ReadJson(body);
        return scheme switch
        {
            WebhookTestScheme.GitHub => (header(GitHubWebhookSignature.EventHeader), header(GitHubWebhookSignature.DeliveryHeader)),
            WebhookTestScheme.Shopify => (header(ShopifyWebhookSignature.TopicHeader), header(ShopifyWebhookSignature.WebhookIdHeader)),
            WebhookTestScheme.Stripe => (Property(json, "type"), Property(json, "id")),
            WebhookTestScheme.Slack => (Property(json, "event", "type") ?? Property(json, "type"), Property(json, "event_id")),
            _ => (Property(json, "type"), header(StandardWebhookHeaders.Id) ?? header(StandardWebhookHeaders.SvixId)),
        };
    }

    /// <summary>Indented JSON, or <see langword="null"/> when the body is not JSON.</summary>
    public static string? Pretty(ReadOnlySpan<byte> body)
    {
        if (ReadJson(body) is not { } element)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            element.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonElement? ReadJson(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Property(JsonElement? json, params string[] path)
    {
        if (json is not { } element)
        {
            return null;
        }

        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
