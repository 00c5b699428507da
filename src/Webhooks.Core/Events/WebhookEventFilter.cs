using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Core.Events;

/// <summary>
/// An event type filter: an exact name (<c>order.created</c>), a prefix wildcard (<c>order.*</c>, matching
/// <c>order.created</c> and <c>order.item.added</c>) or <c>*</c> (everything).
/// </summary>
public sealed class WebhookEventFilter : IEquatable<WebhookEventFilter>
{
    private WebhookEventFilter() => throw new NotImplementedException();

    /// <summary>The filter that matches every event type.</summary>
    public static WebhookEventFilter All => throw new NotImplementedException();

    /// <summary>Gets the filter's text.</summary>
    public string Pattern => throw new NotImplementedException();

    /// <summary>Parses a filter.</summary>
    /// <param name="pattern">The filter text.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentException">The pattern is not valid; the message quotes it.</exception>
    public static WebhookEventFilter Parse(string pattern) => throw new NotImplementedException();

    /// <summary>Tries to parse a filter.</summary>
    /// <param name="pattern">The filter text.</param>
    /// <param name="filter">The filter.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? pattern, [NotNullWhen(true)] out WebhookEventFilter? filter) => throw new NotImplementedException();

    /// <summary>Returns whether the pattern is a valid filter.</summary>
    /// <param name="pattern">The filter text.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValid([NotNullWhen(true)] string? pattern) => throw new NotImplementedException();

    /// <summary>Returns whether the filter matches an event type.</summary>
    /// <param name="eventType">The event type.</param>
    /// <returns><see langword="true"/> on a match.</returns>
    public bool Matches(string eventType) => throw new NotImplementedException();

    /// <summary>Returns whether any of the patterns matches the event type; an empty list matches everything.</summary>
    /// <param name="patterns">The filter patterns (already validated).</param>
    /// <param name="eventType">The event type.</param>
    /// <returns><see langword="true"/> on a match.</returns>
    public static bool MatchesAny(IReadOnlyList<string> patterns, string eventType) => throw new NotImplementedException();

    /// <inheritdoc />
    public bool Equals(WebhookEventFilter? other) => throw new NotImplementedException();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WebhookEventFilter);

    /// <inheritdoc />
    public override int GetHashCode() => throw new NotImplementedException();

    /// <inheritdoc />
    public override string ToString() => Pattern;
}
