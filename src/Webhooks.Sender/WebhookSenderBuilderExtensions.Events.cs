using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Core;
using Webhooks.Core.Events;
using Webhooks.Sender.Events;

namespace Webhooks.Sender;

/// <content>The event catalog: <c>AddEventType</c>.</content>
public static partial class WebhookSenderBuilderExtensions
{
    /// <summary>
    /// Adds the event type named by <see cref="WebhookEventAttribute"/> on <typeparamref name="T"/> to the
    /// <see cref="IWebhookEventCatalog"/>, with its payload serialized by the sender's
    /// <see cref="WebhookSenderOptions.SerializerOptions"/> (the web defaults when unset). Adding the same type again adds nothing.
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="description">What the event means, for the people who subscribe to it, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no valid <see cref="WebhookEventAttribute"/>, or its name is already registered for another payload type.</exception>
    [RequiresUnreferencedCode("Uses reflection-based JSON metadata; use the overload with a JsonTypeInfo<T> for trimming.")]
    [RequiresDynamicCode("Uses reflection-based JSON metadata; use the overload with a JsonTypeInfo<T> for AOT.")]
    public static IWebhookSenderBuilder AddEventType<T>(this IWebhookSenderBuilder builder, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddEventRegistration(builder, new(WebhookEventType.Of<T>(), typeof(T), description, static sp => ReflectionTypeInfo(sp, typeof(T))));
    }

    /// <summary>
    /// Adds the event type named by <see cref="WebhookEventAttribute"/> on <typeparamref name="T"/> to the
    /// <see cref="IWebhookEventCatalog"/>, with source-generated JSON metadata (trimming and AOT safe). Adding the same
    /// type again adds nothing.
    /// </summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="typeInfo">The payload's JSON metadata, the same as passed to <see cref="IWebhookPublisher.PublishAsync{T}(T, JsonTypeInfo{T}, WebhookPublishOptions?, CancellationToken)"/>.</param>
    /// <param name="description">What the event means, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no valid <see cref="WebhookEventAttribute"/>, or its name is already registered for another payload type.</exception>
    public static IWebhookSenderBuilder AddEventType<T>(this IWebhookSenderBuilder builder, JsonTypeInfo<T> typeInfo, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return AddEventRegistration(builder, new(WebhookEventType.Of<T>(), typeof(T), description, _ => typeInfo));
    }

    /// <summary>
    /// Adds an event type without a .NET payload type to the <see cref="IWebhookEventCatalog"/> (for events published
    /// by name, for example through the management API); the catalog shows no schema for it. Adding it again adds nothing.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="eventType">The event type, for example <c>order.created</c>.</param>
    /// <param name="description">What the event means, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is not a valid event type; the message quotes it.</exception>
    /// <exception cref="InvalidOperationException">The name is already registered with a payload type.</exception>
    public static IWebhookSenderBuilder AddEventType(this IWebhookSenderBuilder builder, string eventType, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        WebhookEventType.ThrowIfInvalid(eventType, nameof(eventType));
        return AddEventRegistration(builder, new(eventType, null, description, null));
    }

    private static IWebhookSenderBuilder AddEventRegistration(IWebhookSenderBuilder builder, WebhookEventRegistration registration)
    {
        foreach (var descriptor in builder.Services)
        {
            if (descriptor.ServiceType == typeof(WebhookEventRegistration) && descriptor.ImplementationInstance is WebhookEventRegistration existing
                && existing.EventType == registration.EventType)
            {
                return existing.PayloadType == registration.PayloadType
                    ? builder
                    : throw new InvalidOperationException(
                        $"The event type '{registration.EventType}' is already registered for payload type '{existing.PayloadType?.FullName ?? "(none)"}'; " +
                        $"it cannot also be registered for '{registration.PayloadType?.FullName ?? "(none)"}'. Give each payload type its own [WebhookEvent] name.");
            }
        }

        builder.Services.AddSingleton(registration);
        return builder;
    }

    [RequiresUnreferencedCode("Uses reflection-based JSON metadata.")]
    [RequiresDynamicCode("Uses reflection-based JSON metadata.")]
    private static JsonTypeInfo ReflectionTypeInfo(IServiceProvider services, Type type)
    {
        var options = services.GetService<IOptions<WebhookSenderOptions>>()?.Value.SerializerOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        if (options.TypeInfoResolver is null)
        {
            // Options the publisher has not used yet have no resolver; a copy gets the reflection one without changing the app's instance.
            options = new JsonSerializerOptions(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        }

        return options.GetTypeInfo(type);
    }
}
