namespace Webhooks.Receiver.Inbox;

/// <summary>
/// An inbox store in process memory, for tests and development: what it holds is lost when the process ends, so it
/// gives an inbox's fast answers and retries without its durability. Use the SQLite or PostgreSQL inbox in production.
/// </summary>
public sealed class InMemoryWebhookInboxStore : IWebhookInboxStore
{
    private readonly object _gate = new();
    private readonly SortedDictionary<long, WebhookInboxItem> _items = [];
    private readonly Dictionary<(string Receiver, string MessageId), long> _keys = [];

    // Pending and processing items: a claim looks at these only, not at the processed history.
    private readonly HashSet<long> _open = [];
    private long _lastId;

    /// <inheritdoc />
    public ValueTask<WebhookInboxAddResult> AddAsync(WebhookInboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (_keys.ContainsKey((entry.ReceiverName, entry.MessageId)))
            {
                return ValueTask.FromResult(WebhookInboxAddResult.Duplicate);
            }

            var id = ++_lastId;
            _items.Add(id, new WebhookInboxItem
            {
                Id = id,
                ReceiverName = entry.ReceiverName,
                MessageId = entry.MessageId,
                EventType = entry.EventType,
                Timestamp = entry.Timestamp,
                ReceivedAt = entry.ReceivedAt,
                Body = entry.Body.ToArray(),
                Payload = entry.Payload is { } payload ? payload.ToArray() : (ReadOnlyMemory<byte>?)null,
                PayloadStart = entry.PayloadStart,
                PayloadLength = entry.PayloadLength,
                Headers = entry.Headers,
                State = WebhookInboxState.Pending,
                NextAttemptAt = entry.ReceivedAt,
            });
            _keys.Add((entry.ReceiverName, entry.MessageId), id);
            _open.Add(id);
            return ValueTask.FromResult(WebhookInboxAddResult.Added);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WebhookInboxItem>> ClaimAsync(string receiverName, string leaseId, int maxItems, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiverName);
        ArgumentNullException.ThrowIfNull(leaseId);
        lock (_gate)
        {
            var due = new List<WebhookInboxItem>();
            foreach (var id in _open)
            {
                var item = _items[id];
                if (item.ReceiverName == receiverName && DueAt(item) is { } at && at <= now)
                {
                    due.Add(item);
                }
            }

            due.Sort(static (a, b) => DueAt(a)!.Value.CompareTo(DueAt(b)!.Value) is var c and not 0 ? c : a.Id.CompareTo(b.Id));
            var claimed = new List<WebhookInboxItem>(Math.Min(maxItems, due.Count));
            foreach (var item in due)
            {
                if (claimed.Count == maxItems)
                {
                    break;
                }

                var next = With(item, WebhookInboxState.Processing, item.Attempts + 1, item.NextAttemptAt, item.LastError, leaseId, now + lease, completedAt: null);
                _items[item.Id] = next;
                claimed.Add(next);
            }

            return ValueTask.FromResult<IReadOnlyList<WebhookInboxItem>>(claimed);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(long id, string leaseId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Finish(id, leaseId, item => With(item, WebhookInboxState.Processed, item.Attempts, item.NextAttemptAt, item.LastError, null, null, now));

    /// <inheritdoc />
    public ValueTask<bool> FailAsync(long id, string leaseId, string error, DateTimeOffset? nextAttemptAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        Finish(id, leaseId, item => nextAttemptAt is { } next
            ? With(item, WebhookInboxState.Pending, item.Attempts, next, error, null, null, null)
            : With(item, WebhookInboxState.Dead, item.Attempts, item.NextAttemptAt, error, null, null, now));

    /// <inheritdoc />
    public ValueTask<WebhookInboxPage> ListAsync(WebhookInboxQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            var page = new List<WebhookInboxItem>();
            var more = false;
            foreach (var item in _items.Values)
            {
                if (item.Id <= (query.After ?? 0) || (query.State is { } state && item.State != state) || (query.ReceiverName is { } name && item.ReceiverName != name))
                {
                    continue;
                }

                if (page.Count == query.Limit)
                {
                    more = true;
                    break;
                }

                page.Add(item);
            }

            return ValueTask.FromResult(new WebhookInboxPage(page, more ? page[^1].Id : null));
        }
    }

    /// <inheritdoc />
    public ValueTask<WebhookInboxItem?> GetAsync(long id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_items.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReplayAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_items.TryGetValue(id, out var item) || item.State is WebhookInboxState.Pending or WebhookInboxState.Processing)
            {
                return ValueTask.FromResult(false);
            }

            _items[id] = With(item, WebhookInboxState.Pending, 0, now, item.LastError, null, null, null);
            _open.Add(id);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> ReplayDeadAsync(DateTimeOffset since, string? receiverName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            long count = 0;
            foreach (var item in _items.Values.ToList())
            {
                if (item.State == WebhookInboxState.Dead && item.ReceivedAt >= since && (receiverName is null || item.ReceiverName == receiverName))
                {
                    _items[item.Id] = With(item, WebhookInboxState.Pending, 0, now, item.LastError, null, null, null);
                    _open.Add(item.Id);
                    count++;
                }
            }

            return ValueTask.FromResult(count);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(WebhookInboxState state, DateTimeOffset before, string? receiverName, int maxItems, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var doomed = _items.Values
                .Where(i => i.State == state && i.State is WebhookInboxState.Processed or WebhookInboxState.Dead && i.CompletedAt < before && (receiverName is null || i.ReceiverName == receiverName))
                .OrderBy(i => i.CompletedAt)
                .Take(maxItems)
                .ToList();
            foreach (var item in doomed)
            {
                _items.Remove(item.Id);
                _keys.Remove((item.ReceiverName, item.MessageId));
            }

            return ValueTask.FromResult(doomed.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask<WebhookInboxStatistics> GetStatisticsAsync(string? receiverName, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            long pending = 0, dead = 0;
            DateTimeOffset? oldest = null;
            foreach (var item in _items.Values)
            {
                if (receiverName is not null && item.ReceiverName != receiverName)
                {
                    continue;
                }

                if (item.State is WebhookInboxState.Pending or WebhookInboxState.Processing)
                {
                    pending++;
                    oldest = oldest is { } o && o <= item.ReceivedAt ? o : item.ReceivedAt;
                }
                else if (item.State == WebhookInboxState.Dead)
                {
                    dead++;
                }
            }

            return ValueTask.FromResult(new WebhookInboxStatistics(pending, dead, oldest));
        }
    }

    private static DateTimeOffset? DueAt(WebhookInboxItem item) => item.State switch
    {
        WebhookInboxState.Pending => item.NextAttemptAt,
        WebhookInboxState.Processing => item.LeaseExpiresAt,
        _ => null,
    };

    private static WebhookInboxItem With(
        WebhookInboxItem item, WebhookInboxState state, int attempts, DateTimeOffset nextAttemptAt, string? lastError, string? leaseId, DateTimeOffset? leaseExpiresAt, DateTimeOffset? completedAt) =>
        new()
        {
            Id = item.Id,
            ReceiverName = item.ReceiverName,
            MessageId = item.MessageId,
            EventType = item.EventType,
            Timestamp = item.Timestamp,
            ReceivedAt = item.ReceivedAt,
            Body = item.Body,
            Payload = item.Payload,
            PayloadStart = item.PayloadStart,
            PayloadLength = item.PayloadLength,
            Headers = item.Headers,
            State = state,
            Attempts = attempts,
            NextAttemptAt = nextAttemptAt,
            LastError = lastError,
            LeaseId = leaseId,
            LeaseExpiresAt = leaseExpiresAt,
            CompletedAt = completedAt,
        };

    private ValueTask<bool> Finish(long id, string leaseId, Func<WebhookInboxItem, WebhookInboxItem> next)
    {
        ArgumentNullException.ThrowIfNull(leaseId);
        lock (_gate)
        {
            if (!_items.TryGetValue(id, out var item) || item.State != WebhookInboxState.Processing || item.LeaseId != leaseId)
            {
                return ValueTask.FromResult(false);
            }

            var finished = next(item);
            _items[id] = finished;
            if (finished.State is WebhookInboxState.Processed or WebhookInboxState.Dead)
            {
                _open.Remove(id);
            }

            return ValueTask.FromResult(true);
        }
    }
}
