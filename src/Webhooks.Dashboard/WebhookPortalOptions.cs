using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Webhooks.Core.Events;
using Webhooks.Core;

namespace Webhooks.Dashboard;

/// <summary>Options of the tenant portal mapped by <see cref="WebhookDashboardEndpointRouteBuilderExtensions.MapWebhookPortal"/>.</summary>
public sealed class WebhookPortalOptions
{
    /// <summary>
    /// Gets or sets how the tenant of a request is found, for example from a claim of the signed-in user. Returning
    /// <see langword="null"/> or an empty string answers 403. Required.
    /// </summary>
    /// <value>The default is <see langword="null"/>; mapping the portal without it throws.</value>
    public Func<WebhookPortalTenantArguments, ValueTask<string?>>? ResolveTenant { get; set; }

    /// <summary>
    /// Gets the event types a tenant can pick for an endpoint (the catalog). Fill it with <see cref="AddEventType{T}"/>,
    /// <see cref="AddEventTypes(Assembly)"/> or plain names; a tenant may also type a filter such as <c>order.*</c>.
    /// </summary>
    /// <value>The default is empty: the portal offers the sender's catalog (<c>AddEventType</c> on the sender builder, <see cref="Sender.IWebhookEventCatalog"/>).</value>
    public IList<string> EventTypes { get; } = [];

    /// <summary>Gets or sets a value indicating whether the tenant can only look: no endpoint changes, no redelivery.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ReadOnly { get; set; }

    /// <summary>Gets or sets the title shown in the header and the browser tab.</summary>
    /// <value>The default is <see langword="null"/>: "Webhooks".</value>
    public string? Title { get; set; }

    /// <summary>Gets or sets how many rows a list shows per page, from 1 to 1000.</summary>
    /// <value>The default is 50.</value>
    public int PageSize { get; set; } = 50;

    /// <summary>Adds the event type named by <see cref="WebhookEventAttribute"/> on <typeparamref name="T"/> to the catalog.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <returns>These options.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no valid <see cref="WebhookEventAttribute"/>.</exception>
    public WebhookPortalOptions AddEventType<T>()
    {
        Add(WebhookEventType.Of<T>());
        return this;
    }

    /// <summary>Adds the event types of every type in <paramref name="assembly"/> that carries <see cref="WebhookEventAttribute"/>.</summary>
    /// <param name="assembly">The assembly to scan.</param>
    /// <returns>These options.</returns>
    [RequiresUnreferencedCode("Scans the assembly's types; trimming may remove event types. Use AddEventType<T>() in trimmed apps.")]
    public WebhookPortalOptions AddEventTypes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes())
        {
            if (WebhookEventType.TryGet(type, out var name))
            {
                Add(name);
            }
        }

        return this;
    }

    private void Add(string eventType)
    {
        if (!EventTypes.Contains(eventType))
        {
            EventTypes.Add(eventType);
        }
    }
}
