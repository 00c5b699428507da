namespace Webhooks.Core;

/// <summary>The header names of the Standard Webhooks wire format, and the Svix aliases.</summary>
public static class StandardWebhookHeaders
{
    /// <summary><c>webhook-id</c>: the message id, the same on every retry.</summary>
    public const string Id = "webhook-id";

    /// <summary><c>webhook-timestamp</c>: the attempt's unix time in seconds.</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary><c>webhook-signature</c>: space-separated <c>v1,&lt;base64&gt;</c> tokens.</summary>
    public const string Signature = "webhook-signature";

    /// <summary><c>svix-id</c>: the Svix alias of <see cref="Id"/>.</summary>
    public const string SvixId = "svix-id";

    /// <summary><c>svix-timestamp</c>: the Svix alias of <see cref="Timestamp"/>.</summary>
    public const string SvixTimestamp = "svix-timestamp";

    /// <summary><c>svix-signature</c>: the Svix alias of <see cref="Signature"/>.</summary>
    public const string SvixSignature = "svix-signature";
}
