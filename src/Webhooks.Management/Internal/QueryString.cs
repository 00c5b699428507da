using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Webhooks.Core.Events;
using Webhooks.Sender;

namespace Webhooks.Management.Internal;

/// <summary>Parses a list's query string strictly: an unknown or repeated parameter, or a value of the wrong shape, is an error naming it.</summary>
internal sealed partial class QueryString
{
    private readonly IQueryCollection _query;
    private readonly ProblemBuilder _errors;

    public QueryString(HttpContext http, ProblemBuilder errors, params string[] allowed)
    {
        _query = http.Request.Query;
        _errors = errors;
        foreach (var (name, values) in _query)
        {
            if (Array.IndexOf(allowed, name) < 0)
            {
                errors.Add(name, allowed.Length == 0
                    ? "This route takes no query parameters."
                    : $"Unknown query parameter; this route takes {string.Join(", ", allowed)}.");
            }
            else if (values.Count > 1)
            {
                errors.Add(name, "Give this query parameter once.");
            }
        }
    }

    /// <summary>Adds the tenant filter and the keyset paging (<c>tenantId</c>, <c>limit</c>, <c>after</c>) to a list query.</summary>
    public T Paged<T>(T query, ManagementRequest request)
        where T : WebhookQuery => query with
        {
            TenantId = request.Tenant(String("tenantId"), "tenantId", _errors),
            Limit = Limit(request.Settings.DefaultPageSize),
            After = Cursor(),
        };

    public string? String(string name)
    {
        var value = _query[name];
        return value.Count == 1 ? value[0] : null;
    }

    public int Limit(int defaultLimit)
    {
        var text = String("limit");
        if (text is null)
        {
            return defaultLimit;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= WebhookQuery.MaxLimit)
        {
            return limit;
        }

        _errors.Add("limit", $"The page size must be a whole number from 1 to {WebhookQuery.MaxLimit}.");
        return defaultLimit;
    }

    /// <summary>A keyset cursor: the <c>next</c> of the previous page, which is an id.</summary>
    public string? Cursor()
    {
        var text = String("after");
        if (text is null || CursorPattern().IsMatch(text))
        {
            return text;
        }

        _errors.Add("after", "The cursor is not valid; pass the 'next' value of the previous page unchanged.");
        return null;
    }

    public DateTimeOffset? Time(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (Rfc3339Pattern().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        _errors.Add(name, "The time is not an RFC 3339 timestamp such as 2026-01-31T14:00:00Z.");
        return null;
    }

    public bool? Boolean(string name)
    {
        switch (String(name))
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                _errors.Add(name, "Give true or false.");
                return null;
        }
    }

    public string? EventType(string name)
    {
        var text = String(name);
        if (text is null || WebhookEventType.IsValid(text))
        {
            return text;
        }

        _errors.Add(name, "The event type is not valid; give a name such as 'order.created'.");
        return null;
    }

    public WebhookDeliveryStatus? Status(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        // Names only: Enum.TryParse would also take numbers and comma-separated combinations.
        if (Array.IndexOf(Enum.GetNames<WebhookDeliveryStatus>(), text) >= 0)
        {
            return Enum.Parse<WebhookDeliveryStatus>(text);
        }

        _errors.Add(name, "The status is not one of Pending, InFlight, Succeeded, Failed.");
        return null;
    }

    /// <summary>An id filter: any id shape the sender makes (an unknown one simply matches nothing).</summary>
    public string? Id(string name)
    {
        var text = String(name);
        if (text is null || CursorPattern().IsMatch(text))
        {
            return text;
        }

        _errors.Add(name, "The id is not valid.");
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex CursorPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+\-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339Pattern();
}
