namespace Webhooks.Sender.Events;

/// <summary>The catalog built once from the registrations, ordered by name.</summary>
internal sealed class WebhookEventCatalog : IWebhookEventCatalog
{
    private readonly Dictionary<string, WebhookEventDefinition> _byName;

    public WebhookEventCatalog(IEnumerable<WebhookEventRegistration> registrations, IServiceProvider services)
    {
        _byName = new(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            // Registration already refused conflicting names; a repeat of the same registration adds nothing.
            if (!_byName.ContainsKey(registration.EventType))
            {
                _byName[registration.EventType] = new(registration.EventType, registration.Description, registration.TypeInfo?.Invoke(services));
            }
        }

        var list = new List<WebhookEventDefinition>(_byName.Values);
        list.Sort(static (a, b) => string.CompareOrdinal(a.EventType, b.EventType));
        EventTypes = list;
    }

    public IReadOnlyList<WebhookEventDefinition> EventTypes { get; }

    public WebhookEventDefinition? Find(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return _byName.GetValueOrDefault(eventType);
    }
}
