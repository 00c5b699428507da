using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Receiver.Internal;

/// <summary>The receivers added with <c>AddWebhookReceiver</c> and their handlers; one instance per service collection.</summary>
internal sealed class WebhookReceiverRegistry
{
    private readonly Dictionary<string, WebhookReceiverDefinition> _receivers = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => _receivers.Keys;

    public static WebhookReceiverRegistry GetOrAdd(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(WebhookReceiverRegistry) && !descriptor.IsKeyedService && descriptor.ImplementationInstance is WebhookReceiverRegistry existing)
            {
                return existing;
            }
        }

        var registry = new WebhookReceiverRegistry();
        services.AddSingleton(registry);
        return registry;
    }

    public WebhookReceiverDefinition GetOrAdd(string name)
    {
        if (!_receivers.TryGetValue(name, out var definition))
        {
            definition = new WebhookReceiverDefinition(name);
            _receivers.Add(name, definition);
        }

        return definition;
    }

    public bool TryGet(string name, out WebhookReceiverDefinition definition) => _receivers.TryGetValue(name, out definition!);
}

/// <summary>One receiver's handlers, in registration order.</summary>
internal sealed class WebhookReceiverDefinition
{
    public WebhookReceiverDefinition(string name) => Name = name;

    public string Name { get; }

    /// <summary>Gets or sets a value indicating whether the receiver stores webhooks in the inbox instead of handling them in the request (<c>UseInbox</c>).</summary>
    public bool UsesInbox { get; set; }

    public List<WebhookHandlerBinding> Handlers { get; } = [];

    public List<WebhookHandlerBinding> FallbackHandlers { get; } = [];

    /// <summary>Builds the lookup used per request: event type to handlers (a snapshot taken when the endpoint is mapped).</summary>
    public Dictionary<string, WebhookHandlerBinding[]> BuildRoutes()
    {
        var routes = new Dictionary<string, List<WebhookHandlerBinding>>(StringComparer.Ordinal);
        foreach (var handler in Handlers)
        {
            if (!routes.TryGetValue(handler.EventType!, out var list))
            {
                list = [];
                routes.Add(handler.EventType!, list);
            }

            list.Add(handler);
        }

        var result = new Dictionary<string, WebhookHandlerBinding[]>(routes.Count, StringComparer.Ordinal);
        foreach (var (eventType, list) in routes)
        {
            result.Add(eventType, [.. list]);
        }

        return result;
    }
}
