using Microsoft.Extensions.Options;

namespace Webhooks.Sender.Delivery;

/// <summary>The retry schedule: when the next attempt is due after a failed one, or that there is none.</summary>
internal sealed class RetryPolicy
{
    private static readonly TimeSpan[] DefaultSchedule = [.. WebhookSenderOptions.DefaultRetryDelays];

    private readonly IOptions<WebhookSenderOptions> _options;
    private readonly Func<double> _random;

    public RetryPolicy(IOptions<WebhookSenderOptions> options)
        : this(options, Random.Shared.NextDouble)
    {
    }

    internal RetryPolicy(IOptions<WebhookSenderOptions> options, Func<double> random)
    {
        _options = options;
        _random = random;
    }

    /// <summary>Gets the wait before the next attempt.</summary>
    /// <param name="attemptsMade">Attempts made so far, including the one that just failed (from 1).</param>
    /// <param name="retryAfter">The endpoint's <c>Retry-After</c>, when it sent one with 429/502/503/504.</param>
    /// <returns>The wait, or <see langword="null"/> when the schedule is exhausted.</returns>
    public TimeSpan? GetDelay(int attemptsMade, TimeSpan? retryAfter)
    {
        var options = _options.Value;
        var delays = Delays(options);
        if (attemptsMade < 1 || attemptsMade >= MaxAttemptsOf(options, delays))
        {
            return null;
        }

        // Past the schedule (MaxAttempts beyond it), the last delay repeats.
        var baseDelay = delays[Math.Min(attemptsMade, delays.Count) - 1];

        // Additive jitter: never earlier than the base delay, at most RetryJitter × the delay later.
        var delay = baseDelay + TimeSpan.FromTicks((long)(baseDelay.Ticks * options.RetryJitter * _random()));
        if (retryAfter is { } asked)
        {
            // Honour the endpoint's wish (capped), but never retry sooner than the schedule says.
            var capped = asked < options.MaxRetryAfter ? asked : options.MaxRetryAfter;
            if (capped > delay)
            {
                delay = capped;
            }
        }

        return delay;
    }

    /// <summary>Gets the most attempts a delivery makes.</summary>
    public int MaxAttempts => MaxAttemptsOf(_options.Value, Delays(_options.Value));

    // Empty means the default schedule: options never pre-fill the list, which the configuration binder would append to.
    private static IList<TimeSpan> Delays(WebhookSenderOptions options) => options.RetryDelays is { Count: > 0 } delays ? delays : DefaultSchedule;

    private static int MaxAttemptsOf(WebhookSenderOptions options, IList<TimeSpan> delays) => options.MaxAttempts ?? delays.Count + 1;
}
