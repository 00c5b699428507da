using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Sender.Security;

/// <summary>The outcome of <see cref="WebhookUrlValidator"/>: the parsed URL, or an error and a message that names the value.</summary>
/// <param name="Url">The parsed URL when valid.</param>
/// <param name="Error">The error, <see cref="WebhookUrlError.None"/> when valid.</param>
/// <param name="Message">What is wrong and what to change; never contains the URL's credentials, path or query.</param>
internal readonly record struct WebhookUrlValidationResult(Uri? Url, WebhookUrlError Error, string? Message)
{
    [MemberNotNullWhen(true, nameof(Url))]
    [MemberNotNullWhen(false, nameof(Message))]
    public bool IsValid => Error == WebhookUrlError.None;

    public static WebhookUrlValidationResult Valid(Uri url) => new(url, WebhookUrlError.None, null);

    public static WebhookUrlValidationResult Invalid(WebhookUrlError error, string message) => new(null, error, message);
}
