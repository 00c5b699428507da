using System.Text;
using Webhooks.Core;

namespace Webhooks.Core.Tests.Signatures;

/// <summary>The published Standard Webhooks test vector (the reference libraries' tests).</summary>
internal static class StandardWebhookTestData
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    public const long Timestamp = 1614265330;
    public const string TimestampHeader = "1614265330";
    public const string Payload = "{\"test\": 2432232314}";
    public const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    public static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    public static byte[] Body => Encoding.UTF8.GetBytes(Payload);

    public static WebhookSecret ParsedSecret => WebhookSecret.Parse(Secret);
}
