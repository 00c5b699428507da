using Webhooks.Core.Schemes;

namespace Webhooks.Core.Tests.Schemes;

public class SchemeAllocationTests
{
    private static readonly byte[] Body = new byte[64 * 1024];
    private static readonly string[] Secrets = ["whsec_old", "whsec_new"];
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static long AllocatedBy(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }

    [Fact]
    public void Verify_LongSecret_DoesNotAllocate()
    {
        // Over 256 UTF-8 bytes: the key is rented, hashed down to a block, and the rented buffer returned.
        string[] secrets = [new string('k', 400)];
        var github = GitHubWebhookSignature.Sign(secrets[0], Body);

        AllocatedBy(() => GitHubWebhookSignature.Verify(Body, github, secrets)).Should().Be(0);
    }

    [Fact]
    public void GitHubAndShopifyVerify_DoNotAllocate()
    {
        var github = GitHubWebhookSignature.Sign("whsec_new", Body);
        var shopify = ShopifyWebhookSignature.Sign("whsec_new", Body);

        AllocatedBy(() => GitHubWebhookSignature.Verify(Body, github, Secrets)).Should().Be(0);
        AllocatedBy(() => ShopifyWebhookSignature.Verify(Body, shopify, Secrets)).Should().Be(0);
    }

    [Fact]
    public void StripeAndSlackVerify_DoNotAllocate()
    {
        var stripe = StripeWebhookSignature.Sign("whsec_new", 1_700_000_000, Body);
        var slack = SlackWebhookSignature.Sign("whsec_new", 1_700_000_000, Body);

        AllocatedBy(() => StripeWebhookSignature.Verify(Body, stripe, Secrets, Now, StripeWebhookSignature.DefaultTolerance)).Should().Be(0);
        AllocatedBy(() => SlackWebhookSignature.Verify(Body, "1700000000", slack, Secrets, Now, SlackWebhookSignature.DefaultTolerance)).Should().Be(0);
    }
}
