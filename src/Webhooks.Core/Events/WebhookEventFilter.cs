using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Core.Events;

/// <summary>
/// An event type filter: an exact name (<c>order.created</c>), a prefix wildcard (<c>order.*</c>, matching
/// <c>order.created</c> and <c>order.item.added</c>) or <c>*</c> (everything).
/// </summary>
/// <remarks>
/// A prefix wildcard matches every name strictly below the prefix, at any depth, but not the prefix itself:
/// <c>order.*</c> does not match <c>order</c> (add <c>order</c> as a second filter to receive it too). Matching is
/// ordinal (case-sensitive), like event type names. The prefix must itself be a valid event type name; no other
/// wildcard forms (<c>order*</c>, <c>*.created</c>, <c>order.*.added</c>) are accepted.
/// </remarks>
public sealed class WebhookEventFilter : IEquatable<WebhookEventFilter>
{
    private const string Wildcard = "*";
    private const string PrefixWildcardSuffix = ".*";

    private static readonly WebhookEventFilter AllFilter = new(Wildcard);

    private WebhookEventFilter(string pattern) => Pattern = pattern;

    /// <summary>The filter that matches every event type.</summary>
    public static WebhookEventFilter All => AllFilter;

    /// <summary>Gets the filter's text.</summary>
    public string Pattern { get; }

    /// <summary>Parses a filter.</summary>
    /// <param name="pattern">The filter text.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="ArgumentException">The pattern is not valid; the message quotes it.</exception>
    public static WebhookEventFilter Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var error = GetError(pattern);
        if (error is not null)
        {
            throw new ArgumentException(
                $"{WebhookEventType.Describe(pattern, error, "event filter")} " +
                "A filter is an event type, a prefix followed by '.*' (for example 'order.*'), or '*'.",
                nameof(pattern));
        }

        return Create(pattern);
    }

    /// <summary>Tries to parse a filter.</summary>
    /// <param name="pattern">The filter text.</param>
    /// <param name="filter">The filter.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? pattern, [NotNullWhen(true)] out WebhookEventFilter? filter)
    {
        filter = IsValid(pattern) ? Create(pattern) : null;
        return filter is not null;
    }

    /// <summary>Returns whether the pattern is a valid filter.</summary>
    /// <param name="pattern">The filter text.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValid([NotNullWhen(true)] string? pattern) => pattern is not null && GetError(pattern) is null;

    /// <summary>Returns whether the filter matches an event type. Does not allocate.</summary>
    /// <param name="eventType">The event type.</param>
    /// <returns><see langword="true"/> on a match.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="eventType"/> is null.</exception>
    public bool Matches(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return MatchesPattern(Pattern, eventType);
    }

    /// <summary>Returns whether any of the patterns matches the event type; an empty list matches everything. Does not allocate.</summary>
    /// <param name="patterns">The filter patterns (already validated).</param>
    /// <param name="eventType">The event type.</param>
    /// <returns><see langword="true"/> on a match.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="patterns"/> or <paramref name="eventType"/> is null.</exception>
    public static bool MatchesAny(IReadOnlyList<string> patterns, string eventType)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(eventType);
        var count = patterns.Count;
        if (count == 0)
        {
            return true;
        }

        // An indexer loop: no enumerator allocation for interface-typed lists.
        for (var i = 0; i < count; i++)
        {
            if (patterns[i] is { } pattern && MatchesPattern(pattern, eventType))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public bool Equals(WebhookEventFilter? other) => other is not null && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WebhookEventFilter);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Pattern);

    /// <inheritdoc />
    public override string ToString() => Pattern;

    private static WebhookEventFilter Create(string pattern) => pattern == Wildcard ? AllFilter : new(pattern);

    private static bool MatchesPattern(string pattern, string eventType)
    {
        if (pattern.Length == 1 && pattern[0] == '*')
        {
            return true;
        }

        if (!pattern.EndsWith(PrefixWildcardSuffix, StringComparison.Ordinal))
        {
            return string.Equals(pattern, eventType, StringComparison.Ordinal);
        }

        // "order.*": the event type starts with "order." and has something after it.
        var prefixWithDot = pattern.AsSpan(0, pattern.Length - 1);
        return eventType.Length > prefixWithDot.Length && eventType.AsSpan().StartsWith(prefixWithDot, StringComparison.Ordinal);
    }

    private static string? GetError(string pattern)
    {
        if (pattern == Wildcard)
        {
            return null;
        }

        if (pattern.Length > WebhookEventType.MaxLength)
        {
            return $"it is {pattern.Length} characters long, over the limit of {WebhookEventType.MaxLength}";
        }

        var name = pattern.EndsWith(PrefixWildcardSuffix, StringComparison.Ordinal)
            ? pattern.AsSpan(0, pattern.Length - PrefixWildcardSuffix.Length)
            : pattern.AsSpan();
        return name.IsEmpty && pattern.Length > 0 ? "the prefix before '.*' is empty" : WebhookEventType.GetError(name);
    }
}
