using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Core.Events;

/// <summary>
/// Event type names: full-stop delimited segments of <c>[A-Za-z0-9_]</c> (<c>invoice.paid</c>), and the
/// <see cref="WebhookEventAttribute"/> lookup.
/// </summary>
public static class WebhookEventType
{
    /// <summary>The longest accepted event type name: 256 characters.</summary>
    public const int MaxLength = 256;

    /// <summary>Returns whether the name is a valid event type.</summary>
    /// <param name="eventType">The name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValid([NotNullWhen(true)] string? eventType) => throw new NotImplementedException();

    /// <summary>Throws an <see cref="ArgumentException"/> that quotes the name when it is not valid.</summary>
    /// <param name="eventType">The name.</param>
    /// <param name="paramName">The parameter name to report.</param>
    public static void ThrowIfInvalid([NotNull] string? eventType, string? paramName = null) => throw new NotImplementedException();

    /// <summary>Gets the event type named by <see cref="WebhookEventAttribute"/> on <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <returns>The event type.</returns>
    /// <exception cref="InvalidOperationException">The type has no valid <see cref="WebhookEventAttribute"/>.</exception>
    public static string Of<T>() => Of(typeof(T));

    /// <summary>Gets the event type named by <see cref="WebhookEventAttribute"/> on a type.</summary>
    /// <param name="payloadType">The payload type.</param>
    /// <returns>The event type.</returns>
    /// <exception cref="InvalidOperationException">The type has no valid <see cref="WebhookEventAttribute"/>.</exception>
    public static string Of(Type payloadType) => throw new NotImplementedException();

    /// <summary>Tries to get the event type named by <see cref="WebhookEventAttribute"/> on a type.</summary>
    /// <param name="payloadType">The payload type.</param>
    /// <param name="eventType">The event type.</param>
    /// <returns><see langword="true"/> when the type carries a valid attribute.</returns>
    public static bool TryGet(Type payloadType, [NotNullWhen(true)] out string? eventType) => throw new NotImplementedException();
}
