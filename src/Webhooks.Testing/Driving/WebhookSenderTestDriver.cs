using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Sender.Delivery;
using Webhooks.Sender.Storage;

namespace Webhooks.Testing;

/// <summary>
/// Drives the sender deterministically on a <see cref="FakeTimeProvider"/> (registered as the app's
/// <see cref="TimeProvider"/>): attempt everything due now, move the clock to each due time in turn, and wait until
/// every due delivery has been attempted before going on, so that retries over hours run in milliseconds without
/// sleeps. The host must be started (the dispatcher running).
/// </summary>
/// <example>
/// <code>
/// var driver = new WebhookSenderTestDriver(app.Services, time);
/// await publisher.PublishAsync(new OrderCreated(42));
/// await driver.RunUntilCompleteAsync();          // every retry of the default schedule, over about 28 hours of fake time
/// </code>
/// </example>
public sealed class WebhookSenderTestDriver
{
    /// <summary>The fake time <see cref="RunUntilCompleteAsync"/> may move through when no limit is given.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromDays(30);

    private static readonly TimeSpan SafetyNet = TimeSpan.FromMinutes(2);

    private readonly IServiceProvider _services;
    private readonly IWebhookStore _store;

    /// <summary>Creates a driver.</summary>
    /// <param name="services">The app's services (with <c>AddWebhookSender</c> and <paramref name="time"/> as its <see cref="TimeProvider"/>).</param>
    /// <param name="time">The fake clock the sender runs on.</param>
    /// <exception cref="ArgumentException">The app's <see cref="TimeProvider"/> is not <paramref name="time"/>.</exception>
    public WebhookSenderTestDriver(IServiceProvider services, FakeTimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(time);
        if (!ReferenceEquals(services.GetService<TimeProvider>(), time))
        {
            throw new ArgumentException(
                "The app's TimeProvider is not this FakeTimeProvider: register it with services.AddSingleton<TimeProvider>(time) before building the app.",
                nameof(time));
        }

        _services = services;
        _store = services.GetRequiredService<IWebhookStore>();
        Time = time;
    }

    /// <summary>Gets the fake clock.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Attempts every delivery due now (published or redelivered before the call) and waits for their outcomes to be stored; the clock does not move.</summary>
    /// <param name="cancellationToken">Ends the wait; a 2-minute safety net applies as well.</param>
    /// <returns>A task that completes when the dispatcher is idle.</returns>
    public async Task RunDueAsync(CancellationToken cancellationToken = default) => await IdleAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Moves the clock forward by <paramref name="duration"/>, stopping at each time a delivery falls due (and when a
    /// paused endpoint resumes) to attempt what is due, and ends idle at the new time.
    /// </summary>
    /// <param name="duration">How far to move the clock.</param>
    /// <param name="cancellationToken">Ends the drive.</param>
    /// <returns>A task that completes at the new time with nothing due left unattempted.</returns>
    public async Task AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var end = Time.GetUtcNow() + duration;
        while (await StepAsync(end, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>
    /// Moves the clock from due time to due time until no delivery is pending or in flight (every one succeeded or
    /// failed for good), or until <paramref name="limit"/> of fake time has passed.
    /// </summary>
    /// <param name="limit">The most fake time to move through; <see cref="DefaultLimit"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the drive.</param>
    /// <returns><see langword="true"/> when every delivery finished; <see langword="false"/> when the limit came first.</returns>
    public async Task<bool> RunUntilCompleteAsync(TimeSpan? limit = null, CancellationToken cancellationToken = default)
    {
        var end = Time.GetUtcNow() + (limit ?? DefaultLimit);
        while (true)
        {
            var moved = await StepAsync(end, cancellationToken).ConfigureAwait(false);
            if (await _store.CountUnfinishedAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return true;
            }

            if (!moved)
            {
                return false;
            }
        }
    }

    /// <summary>Settles at the current time, then moves the clock to the next due time (at most <paramref name="end"/>).</summary>
    /// <returns><see langword="false"/> when the clock is at <paramref name="end"/> and idle.</returns>
    private async Task<bool> StepAsync(DateTimeOffset end, CancellationToken cancellationToken)
    {
        var wake = await IdleAsync(cancellationToken).ConfigureAwait(false);
        var now = Time.GetUtcNow();
        if (now >= end)
        {
            return false;
        }

        // The next due delivery; when one is due but was not claimed (its endpoint paused), the dispatcher's own wake-up.
        var due = await _store.GetNextDueTimeAsync(cancellationToken).ConfigureAwait(false);
        var next = due > now ? due.Value : wake > now ? wake.Value : end;
        Time.SetUtcNow(next < end ? next : end);
        return true;
    }

    private async Task<DateTimeOffset?> IdleAsync(CancellationToken cancellationToken)
    {
        using var safety = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        safety.CancelAfter(SafetyNet);
        try
        {
            return await WebhookDispatcherIdle.WaitAsync(_services, safety.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The webhook dispatcher did not become idle within {SafetyNet.TotalMinutes} minutes of real time.");
        }
    }
}
