using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Webhooks.Sender.Security;

/// <summary>
/// Logs an SSRF refusal once per endpoint rather than once per attempt. Register as a singleton so the memory
/// outlives the pooled HTTP handlers. Memory is bounded: past <see cref="DefaultCapacity"/> endpoints the set is
/// cleared (and that is logged), so an endpoint may then be logged a second time, but memory never grows further.
/// </summary>
internal sealed class SsrfBlockedLog
{
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, byte> _logged = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly int _capacity;

    public SsrfBlockedLog(ILogger<SsrfBlockedLog> logger)
        : this(logger, DefaultCapacity)
    {
    }

    internal SsrfBlockedLog(ILogger logger, int capacity)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _logger = logger;
        _capacity = capacity;
    }

    /// <summary>Logs <paramref name="exception"/> unless a refusal for <paramref name="endpoint"/> was already logged.</summary>
    /// <param name="endpoint">The endpoint key: a subscription id, or <c>host:port</c>.</param>
    /// <param name="exception">The refusal.</param>
    /// <returns><see langword="true"/> when this call logged.</returns>
    public bool Report(string endpoint, WebhookSsrfBlockedException exception)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(exception);
        if (_logged.ContainsKey(endpoint))
        {
            return false;
        }

        if (_logged.Count >= _capacity)
        {
            _logged.Clear();
            Log.SsrfBlockedLogReset(_logger, _capacity);
        }

        if (!_logged.TryAdd(endpoint, 0))
        {
            return false;
        }

        Log.SsrfBlocked(_logger, endpoint, exception.Host, exception.Address, exception.Category.Describe());
        return true;
    }

    /// <summary>Forgets <paramref name="endpoint"/>, so its next refusal is logged again (call when its URL changes).</summary>
    public void Forget(string endpoint) => _logged.TryRemove(endpoint, out _);
}
