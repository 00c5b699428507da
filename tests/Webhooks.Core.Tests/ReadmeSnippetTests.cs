using System.Text;
using Webhooks.Core;

namespace Webhooks.Core.Tests;

/// <summary>Keeps the "Signing and verifying" snippet of docs/security.md compiling and true.</summary>
public class ReadmeSnippetTests
{
    [Fact]
    public void CoreSnippet_SignsAndVerifies()
    {
        // docs/security.md: core snippet start
        // Once, per subscription: create a secret and store RevealEncoded() somewhere safe.
        var secret = WebhookSecret.Generate();
        string stored = secret.RevealEncoded(); // "whsec_..."

        // Sender: sign the exact body bytes; re-sign on every attempt with a fresh timestamp.
        byte[] body = Encoding.UTF8.GetBytes("""{"type":"invoice.paid","data":{"id":"in_1"}}""");
        string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
        long timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        string signature = StandardWebhook.Sign(secret, id, timestamp, body);
        // send headers webhook-id: id, webhook-timestamp: timestamp, webhook-signature: signature

        // Receiver: verify the raw bytes against the header values (webhook-* or svix-*).
        var verifier = new StandardWebhookVerifier([WebhookSecret.Parse(stored)]);
        WebhookVerificationResult result = verifier.Verify(id, timestamp.ToString(), signature, body);
        if (!result.IsValid)
        {
            Console.WriteLine($"Rejected: {result.Status}"); // e.g. TimestampTooOld, NoMatchingSignature
        }
        // docs/security.md: core snippet end

        result.IsValid.Should().BeTrue();
    }
}
