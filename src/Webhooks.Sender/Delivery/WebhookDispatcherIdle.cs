using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Sender.Delivery;

/// <summary>
/// Lets a test that drives the sender on a fake clock (a <c>FakeTimeProvider</c> registered as the sender's
/// <see cref="TimeProvider"/>) wait until the dispatcher has done everything it can do at the current time, instead
/// of sleeping. Webhooks.Testing's <c>WebhookSenderTestDriver</c> builds on it; apps have no use for it.
/// </summary>
public static class WebhookDispatcherIdle
{
    /// <summary>
    /// Completes once the dispatcher of <paramref name="services"/> has attempted every delivery that is due now and
    /// stored each outcome, and waits for a later time: a decision of its loop that started after this call claimed
    /// nothing more. Work published or redelivered before the call is included.
    /// </summary>
    /// <param name="services">The app's services (the ones <c>AddWebhookSender</c> was called on), with the host started.</param>
    /// <param name="cancellationToken">Ends the wait; pass a generous safety-net timeout.</param>
    /// <returns>
    /// The time at which the dispatcher next wakes by itself, on the sender's clock (a due delivery, a paused endpoint
    /// that resumes, or the next poll); <see langword="null"/> when the dispatcher is disabled
    /// (<see cref="WebhookSenderOptions.DispatcherEnabled"/>).
    /// </returns>
    /// <exception cref="InvalidOperationException">
    /// <c>AddWebhookSender</c> was not called on these services, the host has not started, or the dispatcher has stopped.
    /// </exception>
    public static Task<DateTimeOffset?> WaitAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var dispatcher = services.GetServices<IHostedService>().OfType<WebhookDispatcher>().FirstOrDefault()
            ?? throw new InvalidOperationException("No webhook dispatcher is registered: call services.AddWebhookSender() first.");
        return dispatcher.WaitForIdleAsync(cancellationToken);
    }
}
