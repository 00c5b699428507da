using System.Text;
using Webhooks.Core;

namespace Webhooks.Testing.Tests;

/// <summary>The Standard Webhooks specification's published test vector, and shared test values.</summary>
internal static class TestData
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    public const long Timestamp = 1614265330;
    public const string Payload = "{\"test\": 2432232314}";
    public const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static byte[] Body => Encoding.UTF8.GetBytes(Payload);

    public static WebhookSecret ParsedSecret => WebhookSecret.Parse(Secret);

    /// <summary>A safety net for awaited signals; never a bound the test relies on.</summary>
    public static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}

[WebhookEvent("order.created")]
public sealed record OrderCreated(int OrderId, string? Customer = null);
