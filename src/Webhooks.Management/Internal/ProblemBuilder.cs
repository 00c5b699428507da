using Microsoft.AspNetCore.Http;

namespace Webhooks.Management.Internal;

/// <summary>Collects what is wrong with a request, keyed by the JSON path of a body member or the name of a query parameter or header.</summary>
internal sealed class ProblemBuilder
{
    private Dictionary<string, string[]>? _errors;

    public bool HasErrors => _errors is not null;

    public void Add(string field, string message)
    {
        _errors ??= new(StringComparer.Ordinal);
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
    }

    public IResult ToResult() => Problems.Validation(_errors ?? throw new InvalidOperationException("No errors were added."));
}
