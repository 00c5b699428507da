using Microsoft.Extensions.Options;

namespace Webhooks.Sender.Security;

/// <summary>Validates <see cref="WebhookSsrfOptions"/> at start-up; messages quote the bad entry and say what to write instead.</summary>
internal sealed class WebhookSsrfOptionsValidator : IValidateOptions<WebhookSsrfOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookSsrfOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Collect(options, nameof(WebhookSsrfOptions));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Returns every problem in <paramref name="options"/>, each message prefixed with <paramref name="path"/>
    /// (for example <c>WebhookSenderOptions.Ssrf</c> when the options are nested).</summary>
    public static List<string> Collect(WebhookSsrfOptions options, string path)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.AllowedNetworks.Count; i++)
        {
            if (!SsrfNetwork.TryParse(options.AllowedNetworks[i], out _, out var error))
            {
                failures.Add($"{path}.AllowedNetworks[{i}] {error}");
            }
        }

        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            if (!SsrfHostPattern.TryParse(options.AllowedHosts[i], out _, out var error))
            {
                failures.Add($"{path}.AllowedHosts[{i}] {error}");
            }
        }

        return failures;
    }
}
