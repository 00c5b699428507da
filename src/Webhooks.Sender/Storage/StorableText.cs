namespace Webhooks.Sender.Storage;

/// <summary>
/// Makes text from outside (a response body, a header, an exception message) storable in any text column: U+0000
/// (which PostgreSQL refuses in <c>text</c> and <c>jsonb</c>) and lone surrogates (which no UTF-8 column can hold) become
/// U+FFFD, as invalid bytes do when a body is decoded. Clean text, the usual case, is returned as it is, without a copy.
/// </summary>
/// <remarks>
/// The executor applies it where an attempt is built; the SQL stores compile this same file in (linked source) and apply
/// it again before writing, so an attempt built by other code cannot fail a completion either.
/// </remarks>
internal static class StorableText
{
    /// <summary>The character that replaces what a column cannot hold.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>Returns <paramref name="value"/> with U+0000 and lone surrogates replaced by U+FFFD.</summary>
    /// <param name="value">The text, or <see langword="null"/>.</param>
    /// <returns>The same instance when nothing needed replacing.</returns>
    public static string? Sanitize(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var first = FirstUnstorable(value, 0);
        if (first < 0)
        {
            return value;
        }

        return string.Create(value.Length, (value, first), static (chars, state) =>
        {
            var (source, first) = state;
            source.AsSpan().CopyTo(chars);
            for (var i = first; i < chars.Length; i++)
            {
                var c = chars[i];
                if (c == '\0')
                {
                    chars[i] = Replacement;
                }
                else if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(c))
                {
                    chars[i] = Replacement;
                }
            }
        });
    }

    /// <summary>Returns the map with every name and value sanitized (a name that then repeats keeps its first value).</summary>
    /// <param name="values">The map.</param>
    /// <returns>The same instance when nothing needed replacing.</returns>
    public static IReadOnlyDictionary<string, string> Sanitize(IReadOnlyDictionary<string, string> values)
    {
        var clean = true;
        foreach (var (name, value) in values)
        {
            if (FirstUnstorable(name, 0) >= 0 || FirstUnstorable(value, 0) >= 0)
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return values;
        }

        var copy = new Dictionary<string, string>(values.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            copy.TryAdd(Sanitize(name)!, Sanitize(value)!);
        }

        return copy;
    }

    /// <summary>Returns the attempt with its free-text fields (error message, headers, excerpt, address) sanitized.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <returns>The same instance when nothing needed replacing.</returns>
    public static WebhookAttempt Sanitize(WebhookAttempt attempt)
    {
        var errorMessage = Sanitize(attempt.ErrorMessage);
        var headers = Sanitize(attempt.ResponseHeaders);
        var excerpt = Sanitize(attempt.ResponseExcerpt);
        var remote = Sanitize(attempt.RemoteAddress);
        var url = Sanitize(attempt.Url)!;
        return ReferenceEquals(errorMessage, attempt.ErrorMessage) && ReferenceEquals(headers, attempt.ResponseHeaders)
            && ReferenceEquals(excerpt, attempt.ResponseExcerpt) && ReferenceEquals(remote, attempt.RemoteAddress) && ReferenceEquals(url, attempt.Url)
            ? attempt
            : attempt with { ErrorMessage = errorMessage, ResponseHeaders = headers, ResponseExcerpt = excerpt, RemoteAddress = remote, Url = url };
    }

    /// <summary>Returns the completion with its attempt and failure reason sanitized.</summary>
    /// <param name="completion">The completion.</param>
    /// <returns>The same instance when nothing needed replacing.</returns>
    public static WebhookDeliveryCompletion Sanitize(WebhookDeliveryCompletion completion)
    {
        var attempt = completion.Attempt is { } a ? Sanitize(a) : null;
        var reason = Sanitize(completion.FailureReason);
        return ReferenceEquals(attempt, completion.Attempt) && ReferenceEquals(reason, completion.FailureReason)
            ? completion
            : completion with { Attempt = attempt, FailureReason = reason };
    }

    /// <summary>
    /// Returns the completion with what came from the endpoint left out of its attempt (excerpt, headers, error message;
    /// the status code, duration and error kind stay) and a note saying so, for a store that refused the full outcome.
    /// </summary>
    /// <param name="completion">The completion the store refused.</param>
    /// <param name="why">Why the store refused it (an error code), for the note.</param>
    /// <returns>The reduced completion.</returns>
    public static WebhookDeliveryCompletion WithoutResponseData(WebhookDeliveryCompletion completion, string why)
    {
        var note = $"The response excerpt, headers and error message were not stored: the store refused them ({why}).";
        return completion with
        {
            Attempt = completion.Attempt is { } a ? a with { ResponseExcerpt = null, ResponseHeaders = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty, ErrorMessage = note, RemoteAddress = null } : null,
            FailureReason = completion.FailureReason is null ? null : "The failure reason was not stored: the store refused it (" + why + ").",
        };
    }

    private static int FirstUnstorable(ReadOnlySpan<char> value, int start)
    {
        for (var i = start; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return i;
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return -1;
    }

    private static int FirstUnstorable(string value, int start)
    {
        // Fast path: no U+0000 and no surrogate at all (vectorized); only text with surrogates is walked.
        var span = value.AsSpan(start);
        var zero = span.IndexOf('\0');
        var surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0)
        {
            return zero < 0 ? -1 : start + zero;
        }

        return FirstUnstorable(value.AsSpan(), start + (zero < 0 ? surrogate : Math.Min(zero, surrogate)));
    }
}
