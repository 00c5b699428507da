using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using StandardWebhooks.Diagnostics;
using Webhooks.Core;
using Package = StandardWebhooks.StandardWebhook;

namespace Webhooks.Core.Tests.Signatures;

/// <summary>
/// Interoperability with the <c>StandardWebhooks</c> NuGet package (1.1.2). The package reads the system clock,
/// so these tests sign with the current time.
/// </summary>
public class StandardWebhooksInteropTests
{
    private const string Payload = "{\"type\":\"invoice.paid\",\"timestamp\":\"2026-11-28T16:00:00Z\",\"data\":{\"id\":\"in_1\",\"name\":\"Zoë ✓\"}}";

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(64)]
    public void OurSignature_PackageVerifies(int keySize)
    {
        var secret = WebhookSecret.Generate(keySize);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var headers = Headers("msg_ours", now, StandardWebhook.Sign(secret, "msg_ours", now, Encoding.UTF8.GetBytes(Payload)));

        var act = () => new Package(secret.RevealEncoded()).Verify(Payload, headers);

        act.Should().NotThrow();
    }

    [Fact]
    public void OurRotationHeader_PackageVerifiesWithTheFirstSecret()
    {
        var oldSecret = WebhookSecret.Generate();
        var newSecret = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var headers = Headers("msg_rotation", now, StandardWebhook.Sign([newSecret, oldSecret], "msg_rotation", now, Encoding.UTF8.GetBytes(Payload)));

        FluentActions.Invoking(() => new Package(newSecret.RevealEncoded()).Verify(Payload, headers)).Should().NotThrow();
        FluentActions.Invoking(() => new Package(oldSecret.RevealEncoded()).Verify(Payload, headers)).Should().Throw<WebhookVerificationException>(
            "StandardWebhooks 1.1.2 compares the whole header instead of the last token (the known weakness we avoid)");
    }

    [Fact]
    public void RotationHeader_LastToken_WeVerifyWhereThePackageDoesNot()
    {
        var oldSecret = WebhookSecret.Generate();
        var newSecret = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow;
        var header = new Package(newSecret.RevealEncoded()).Sign("msg_rotation", now, Payload) + " " +
            new Package(oldSecret.RevealEncoded()).Sign("msg_rotation", now, Payload);

        StandardWebhook.Verify(Encoding.UTF8.GetBytes(Payload), "msg_rotation", Timestamp(now.ToUnixTimeSeconds()), header, [oldSecret], now, StandardWebhook.DefaultTolerance)
            .IsValid.Should().BeTrue();
        FluentActions.Invoking(() => new Package(oldSecret.RevealEncoded()).Verify(Payload, Headers("msg_rotation", now.ToUnixTimeSeconds(), header)))
            .Should().Throw<WebhookVerificationException>();
    }

    [Fact]
    public void EmptyV1Token_PackageThrowsAndWeFailCleanly()
    {
        var secret = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow;

        var ours = StandardWebhook.Verify(Encoding.UTF8.GetBytes(Payload), "msg_empty", Timestamp(now.ToUnixTimeSeconds()), "v1,", [secret], now, StandardWebhook.DefaultTolerance);

        ours.Status.Should().Be(WebhookVerificationStatus.MalformedHeader);
        // StandardWebhooks 1.1.2 lets an ArgumentNullException escape (the known weakness we avoid).
        FluentActions.Invoking(() => new Package(secret.RevealEncoded()).Verify(Payload, Headers("msg_empty", now.ToUnixTimeSeconds(), "v1,")))
            .Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void OurSignatureWithAnotherSecret_PackageRejects()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var headers = Headers("msg_ours", now, StandardWebhook.Sign(WebhookSecret.Generate(), "msg_ours", now, Encoding.UTF8.GetBytes(Payload)));

        var act = () => new Package(WebhookSecret.Generate().RevealEncoded()).Verify(Payload, headers);

        act.Should().Throw<WebhookVerificationException>();
    }

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(64)]
    public void PackageSignature_WeVerify(int keySize)
    {
        var secret = WebhookSecret.Generate(keySize);
        var now = DateTimeOffset.UtcNow;

        var signature = new Package(secret.RevealEncoded()).Sign("msg_theirs", now, Payload);

        StandardWebhook.Verify(Encoding.UTF8.GetBytes(Payload), "msg_theirs", Timestamp(now.ToUnixTimeSeconds()), signature, [secret], now, StandardWebhook.DefaultTolerance)
            .IsValid.Should().BeTrue();
    }

    [Fact]
    public void PackageSignature_BarePrefixlessSecret_WeVerify()
    {
        var secret = WebhookSecret.Generate();
        var bare = secret.RevealEncoded()[WebhookSecret.Prefix.Length..];
        var now = DateTimeOffset.UtcNow;

        var signature = new Package(bare).Sign("msg_theirs", now, Payload);

        new StandardWebhookVerifier([WebhookSecret.Parse(bare)]).Verify("msg_theirs", Timestamp(now.ToUnixTimeSeconds()), signature, Encoding.UTF8.GetBytes(Payload))
            .IsValid.Should().BeTrue();
    }

    [Fact]
    public void OurSignature_EqualsThePackagesForTheSameInput()
    {
        var secret = WebhookSecret.Generate();
        var at = DateTimeOffset.FromUnixTimeSeconds(1_764_288_000);

        StandardWebhook.Sign(secret, "msg_same", 1_764_288_000, Encoding.UTF8.GetBytes(Payload))
            .Should().Be(new Package(secret.RevealEncoded()).Sign("msg_same", at, Payload));
    }

    private static HeaderDictionary Headers(string id, long timestamp, string signature) => new()
    {
        [StandardWebhookHeaders.Id] = id,
        [StandardWebhookHeaders.Timestamp] = Timestamp(timestamp),
        [StandardWebhookHeaders.Signature] = signature,
    };

    private static string Timestamp(long unixSeconds) => unixSeconds.ToString(CultureInfo.InvariantCulture);
}
