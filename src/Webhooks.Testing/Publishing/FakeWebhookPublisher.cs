using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Sender;

namespace Webhooks.Testing;

/// <summary>
/// An <see cref="IWebhookPublisher"/> that records what is published instead of storing and delivering it, for tests
/// of code that publishes. Validates like the real publisher (event types, tenant) and serializes the same envelope.
/// Thread-safe. Register it with <see cref="FakeWebhookPublisherServiceCollectionExtensions.AddFakeWebhookPublisher"/>.
/// </summary>
/// <remarks>
/// As with the real publisher, publishing again with an idempotency key already seen for the same tenant records
/// nothing and returns the first message's id.
/// </remarks>
public sealed class FakeWebhookPublisher : IWebhookPublisher
{
    private readonly TimeProvider _time;
    private readonly JsonSerializerOptions? _serializerOptions;
    private readonly object _gate = new();
    private readonly List<PublishedWebhook> _published = [];
    private readonly Dictionary<(string? Tenant, string Key), string> _keys = [];
    private readonly List<(int Count, TaskCompletionSource<IReadOnlyList<PublishedWebhook>> Done)> _waiters = [];

    /// <summary>Creates a fake publisher.</summary>
    /// <param name="timeProvider">The clock of the envelope timestamps and message ids; the system clock when <see langword="null"/>.</param>
    /// <param name="serializerOptions">The JSON options of payloads (the sender's <see cref="WebhookSenderOptions.SerializerOptions"/>); the sender's defaults when <see langword="null"/>.</param>
    public FakeWebhookPublisher(TimeProvider? timeProvider = null, JsonSerializerOptions? serializerOptions = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _serializerOptions = serializerOptions;
    }

    /// <summary>Gets a snapshot of what was published, in order.</summary>
    public IReadOnlyList<PublishedWebhook> Published
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> events have been published (published from other threads or later).</summary>
    /// <param name="count">How many to wait for.</param>
    /// <param name="cancellationToken">Ends the wait; pass a safety-net timeout.</param>
    /// <returns>A snapshot of what was published when the count was reached.</returns>
    public Task<IReadOnlyList<PublishedWebhook>> WaitForPublishedAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            if (_published.Count >= count)
            {
                return Task.FromResult<IReadOnlyList<PublishedWebhook>>([.. _published]);
            }

            var done = new TaskCompletionSource<IReadOnlyList<PublishedWebhook>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Forgets everything published and every idempotency key.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _published.Clear();
            _keys.Clear();
        }
    }

    /// <inheritdoc />
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    public Task<string> PublishAsync<T>(T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default) =>
        PublishAsync(WebhookEventType.Of<T>(), payload, options, cancellationToken);

    /// <inheritdoc />
    [RequiresUnreferencedCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON serialization; use the overload with a JsonTypeInfo<T> for AOT.")]
    public Task<string> PublishAsync<T>(string eventType, T payload, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        WebhookEventType.ThrowIfInvalid(eventType, nameof(eventType));
        var now = _time.GetUtcNow();
        return Record(eventType, WebhookEnvelope.Serialize(eventType, now, payload, _serializerOptions), now, options, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> PublishAsync<T>(T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default) =>
        PublishAsync(WebhookEventType.Of<T>(), payload, typeInfo, options, cancellationToken);

    /// <inheritdoc />
    public Task<string> PublishAsync<T>(string eventType, T payload, JsonTypeInfo<T> typeInfo, WebhookPublishOptions? options = null, CancellationToken cancellationToken = default)
    {
        WebhookEventType.ThrowIfInvalid(eventType, nameof(eventType));
        ArgumentNullException.ThrowIfNull(typeInfo);
        var now = _time.GetUtcNow();
        return Record(eventType, WebhookEnvelope.Serialize(eventType, now, payload, typeInfo), now, options, cancellationToken);
    }

    private Task<string> Record(string eventType, byte[] body, DateTimeOffset now, WebhookPublishOptions? options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var tenantId = options?.TenantId;
        if (tenantId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(tenantId, "options.TenantId");
        }

        lock (_gate)
        {
            if (options?.IdempotencyKey is { } key && _keys.TryGetValue((tenantId, key), out var first))
            {
                return Task.FromResult(first);
            }

            var id = WebhookId.NewMessageId(_time);
            if (options?.IdempotencyKey is { } newKey)
            {
                _keys[(tenantId, newKey)] = id;
            }

            _published.Add(new PublishedWebhook(id, eventType, tenantId, options?.IdempotencyKey, now, body, _serializerOptions));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_published.Count >= _waiters[i].Count)
                {
                    _waiters[i].Done.TrySetResult([.. _published]);
                    _waiters.RemoveAt(i);
                }
            }

            return Task.FromResult(id);
        }
    }
}
