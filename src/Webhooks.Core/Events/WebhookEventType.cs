using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Webhooks.Core.Events;

/// <summary>
/// Event type names: full-stop delimited segments of <c>[A-Za-z0-9_]</c> (<c>invoice.paid</c>), and the
/// <see cref="WebhookEventAttribute"/> lookup.
/// </summary>
/// <remarks>
/// A name is one or more non-empty segments of ASCII letters, digits and underscores, joined by single full stops,
/// at most <see cref="MaxLength"/> characters. A single segment (<c>ping</c>) is valid: Standard Webhooks only asks for
/// full-stop delimited segments, and providers send such names. Names are case-sensitive. Rejected: the empty string,
/// leading, trailing or doubled full stops, whitespace, hyphens, wildcards and any non-ASCII character.
/// </remarks>
public static class WebhookEventType
{
    /// <summary>The longest accepted event type name: 256 characters.</summary>
    public const int MaxLength = 256;

    private const int MaxQuotedLength = 80;

    private static readonly ConcurrentDictionary<Type, AttributeLookup> Cache = new();

    /// <summary>Returns whether the name is a valid event type.</summary>
    /// <param name="eventType">The name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValid([NotNullWhen(true)] string? eventType) => eventType is not null && GetError(eventType) is null;

    /// <summary>Throws an <see cref="ArgumentException"/> that quotes the name when it is not valid.</summary>
    /// <param name="eventType">The name.</param>
    /// <param name="paramName">The parameter name to report.</param>
    /// <exception cref="ArgumentNullException"><paramref name="eventType"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> is not a valid name; the message quotes it and says what is allowed.</exception>
    public static void ThrowIfInvalid([NotNull] string? eventType, string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(eventType, paramName ?? nameof(eventType));
        var error = GetError(eventType);
        if (error is not null)
        {
            throw new ArgumentException(Describe(eventType, error), paramName ?? nameof(eventType));
        }
    }

    /// <summary>Gets the event type named by <see cref="WebhookEventAttribute"/> on <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The payload type.</typeparam>
    /// <returns>The event type.</returns>
    /// <exception cref="InvalidOperationException">The type has no valid <see cref="WebhookEventAttribute"/>.</exception>
    public static string Of<T>() => Of(typeof(T));

    /// <summary>Gets the event type named by <see cref="WebhookEventAttribute"/> on a type.</summary>
    /// <param name="payloadType">The payload type.</param>
    /// <returns>The event type.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payloadType"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The type has no valid <see cref="WebhookEventAttribute"/>.</exception>
    public static string Of(Type payloadType)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var lookup = Lookup(payloadType);
        return lookup.EventType ?? throw new InvalidOperationException(lookup.Error);
    }

    /// <summary>Tries to get the event type named by <see cref="WebhookEventAttribute"/> on a type.</summary>
    /// <param name="payloadType">The payload type.</param>
    /// <param name="eventType">The event type.</param>
    /// <returns><see langword="true"/> when the type carries a valid attribute.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payloadType"/> is null.</exception>
    public static bool TryGet(Type payloadType, [NotNullWhen(true)] out string? eventType)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        eventType = Lookup(payloadType).EventType;
        return eventType is not null;
    }

    /// <summary>Returns why a name is not valid, or <see langword="null"/> when it is.</summary>
    internal static string? GetError(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return "it is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"it is {name.Length} characters long, over the limit of {MaxLength}";
        }

        var segmentLength = 0;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '.')
            {
                if (segmentLength == 0)
                {
                    return i == 0 ? "it starts with a full stop" : $"it has an empty segment at position {i}";
                }

                segmentLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                segmentLength++;
            }
            else
            {
                return $"the character at position {i} is not allowed";
            }
        }

        return segmentLength == 0 ? "it ends with a full stop" : null;
    }

    /// <summary>Quotes a bad value (shortened when long) and says what the rule is.</summary>
    internal static string Describe(string value, string error, string subject = "event type")
    {
        var quoted = value.Length <= MaxQuotedLength ? value : string.Concat(value.AsSpan(0, MaxQuotedLength), "...");
        return $"The {subject} '{quoted}' is not valid: {error}. Use full-stop delimited segments of ASCII letters, digits " +
            $"and underscores (for example 'order.created' or 'ping'), at most {MaxLength} characters.";
    }

    private static AttributeLookup Lookup(Type payloadType) => Cache.GetOrAdd(payloadType, static type =>
    {
        var attribute = type.GetCustomAttribute<WebhookEventAttribute>(inherit: false);
        if (attribute is null)
        {
            return new(null, $"The type '{type.FullName}' has no [WebhookEvent] attribute. Add [WebhookEvent(\"name\")] to it, or pass the event type explicitly.");
        }

        var error = GetError(attribute.EventType);
        return error is null
            ? new(attribute.EventType, null)
            : new(null, $"The [WebhookEvent] attribute on type '{type.FullName}' is not valid. {Describe(attribute.EventType ?? string.Empty, error)}");
    });

    private sealed record AttributeLookup(string? EventType, string? Error);
}
