using System.Text;
using Webhooks.Core;
using Webhooks.Core.Signatures;

// Until the sender and receiver land, the quick start shows Webhooks.Core signing and verifying.
var secret = WebhookSecret.Generate();
Console.WriteLine($"secret:    {secret} (stored form starts with {WebhookSecret.Prefix})");

byte[] body = Encoding.UTF8.GetBytes("""{"type":"order.created","timestamp":"2026-11-28T12:00:00Z","data":{"id":42}}""");
var id = WebhookId.NewMessageId();
var now = TimeProvider.System.GetUtcNow();
var timestamp = now.ToUnixTimeSeconds();
var signature = StandardWebhook.Sign(secret, id, timestamp, body);
Console.WriteLine($"webhook-id:        {id}");
Console.WriteLine($"webhook-timestamp: {timestamp}");
Console.WriteLine($"webhook-signature: {signature}");

var verifier = new StandardWebhookVerifier([secret]);
Report("genuine", verifier.Verify(id, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, body));

var tampered = (byte[])body.Clone();
tampered[^3] = (byte)'3';
Report("tampered body", verifier.Verify(id, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, tampered));

var stale = timestamp - 3600;
Report("an hour old", verifier.Verify(id, stale.ToString(System.Globalization.CultureInfo.InvariantCulture), StandardWebhook.Sign(secret, id, stale, body), body));

static void Report(string what, WebhookVerificationResult result) =>
    Console.WriteLine($"{what,-14} -> {result.Status}");
