using Webhooks.Core;
using Webhooks.Sender.Subscriptions;
using Webhooks.Sender;
using Webhooks.Sender.Tests.Testing;

namespace Webhooks.Sender.Tests.Subscriptions;

public sealed class WebhookSubscriptionServiceTests
{
    [Fact]
    public async Task CreateAsync_WithoutASecret_GeneratesOneAndStoresEverything()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);

        var sub = await h.Subscriptions.CreateAsync(new("https://example.com/hooks")
        {
            EventTypes = ["order.*"],
            Description = "orders",
            Metadata = new Dictionary<string, string> { ["owner"] = "a" },
        });

        sub.Id.Should().StartWith(WebhookId.SubscriptionPrefix);
        sub.Secrets.Should().ContainSingle().Which.Secret.KeySize.Should().Be(WebhookSecret.DefaultKeySize);
        sub.Enabled.Should().BeTrue();
        sub.CreatedAt.Should().Be(h.Time.GetUtcNow());
        var loaded = await h.Subscriptions.GetAsync(sub.Id);
        loaded!.EventTypes.Should().Equal("order.*");
        loaded.Description.Should().Be("orders");
        loaded.Secrets[0].Secret.Should().Be(sub.Secrets[0].Secret);
    }

    [Fact]
    public async Task CreateAsync_WithASecret_UsesIt()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        var secret = WebhookSecret.Generate();

        var sub = await h.Subscriptions.CreateAsync(new("https://example.com/hooks") { Secret = secret });

        sub.Secrets.Single().Secret.Should().Be(secret);
    }

    [Theory]
    [InlineData("ftp://example.com/hooks", "ftp")]
    [InlineData("https://user:pass@example.com/hooks", "credentials")]
    [InlineData("https://example.com/hooks#frag", "fragment")]
    public async Task CreateAsync_BadUrl_ThrowsArgumentExceptionSayingWhy(string url, string expected)
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);

        var act = () => h.Subscriptions.CreateAsync(new(url));

        var error = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        error.Message.Should().Contain(expected);
        error.Message.Should().NotContain("pass@", "credentials are never echoed");
    }

    [Fact]
    public void CreateRequest_RelativeUrl_ThrowsArgumentExceptionQuotingIt()
    {
        var act = () => new WebhookSubscriptionCreateRequest("/hooks");

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'/hooks'");
    }

    [Theory]
    [InlineData("order.")]
    [InlineData("order.**")]
    [InlineData("or der")]
    public async Task CreateAsync_BadEventTypeFilter_ThrowsQuotingIt(string filter)
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);

        var act = () => h.Subscriptions.CreateAsync(new("https://example.com/hooks") { EventTypes = [filter] });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain($"'{filter}'");
    }

    [Theory]
    [InlineData("webhook-signature")]
    [InlineData("Content-Type")]
    [InlineData("Host")]
    [InlineData("bad header")]
    public async Task CreateAsync_ReservedOrInvalidHeader_Throws(string header)
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);

        var act = () => h.Subscriptions.CreateAsync(new("https://example.com/hooks") { Headers = new Dictionary<string, string> { [header] = "x" } });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(header);
    }

    [Fact]
    public async Task UpdateAsync_ChangesOnlyGivenProperties()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        var sub = await h.Subscriptions.CreateAsync(new("https://example.com/hooks") { EventTypes = ["a.b"], Description = "d" });
        h.Time.Advance(TimeSpan.FromMinutes(1));

        var updated = await h.Subscriptions.UpdateAsync(sub.Id, new() { Url = new Uri("https://example.com/v2") });

        updated!.Url.Should().Be(new Uri("https://example.com/v2"));
        updated.EventTypes.Should().Equal("a.b");
        updated.Description.Should().Be("d");
        updated.UpdatedAt.Should().Be(h.Time.GetUtcNow());
        (await h.Subscriptions.UpdateAsync("sub_missing", new())).Should().BeNull();
    }

    [Fact]
    public async Task EnableDisableDelete_ChangeStateAndReportMissing()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        var sub = await h.Subscriptions.CreateAsync(new("https://example.com/hooks"));

        var disabled = await h.Subscriptions.DisableAsync(sub.Id, "paused by owner");
        disabled!.Enabled.Should().BeFalse();
        disabled.DisabledReason.Should().Be("paused by owner");
        var enabled = await h.Subscriptions.EnableAsync(sub.Id);
        enabled!.Enabled.Should().BeTrue();
        enabled.DisabledReason.Should().BeNull();

        (await h.Subscriptions.DeleteAsync(sub.Id)).Should().BeTrue();
        (await h.Subscriptions.GetAsync(sub.Id)).Should().BeNull();
        (await h.Subscriptions.DeleteAsync(sub.Id)).Should().BeFalse();
        (await h.Subscriptions.EnableAsync(sub.Id)).Should().BeNull();
    }

    [Fact]
    public async Task RotateSecretAsync_KeepsTheOldSecretSigningForTheOverlapOnly()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        var sub = await h.Subscriptions.CreateAsync(new("https://example.com/hooks"));
        var old = sub.Secrets[0].Secret;

        var rotated = await h.Subscriptions.RotateSecretAsync(sub.Id, overlap: TimeSpan.FromHours(2));

        rotated!.Secrets.Should().HaveCount(2);
        var fresh = rotated.Secrets[0].Secret;
        fresh.Should().NotBe(old);
        rotated.GetActiveSecrets(h.Time.GetUtcNow()).Should().BeEquivalentTo([fresh, old]);
        rotated.GetActiveSecrets(h.Time.GetUtcNow().AddHours(2)).Should().Equal(fresh);

        h.Time.Advance(TimeSpan.FromHours(3));
        var again = await h.Subscriptions.RotateSecretAsync(sub.Id, overlap: TimeSpan.Zero);
        again!.Secrets.Select(s => s.Secret).Should().NotContain(old, "expired secrets are dropped");
        again.GetActiveSecrets(h.Time.GetUtcNow()).Should().ContainSingle().Which.Should().NotBe(fresh);
    }

    [Fact]
    public async Task RotateSecretAsync_DefaultOverlap_ComesFromOptions()
    {
        await using var h = await SenderHarness.StartAsync(o =>
        {
            o.DispatcherEnabled = false;
            o.SecretRotationOverlap = TimeSpan.FromMinutes(30);
        });
        var sub = await h.Subscriptions.CreateAsync(new("https://example.com/hooks"));

        var rotated = await h.Subscriptions.RotateSecretAsync(sub.Id);

        rotated!.Secrets[1].ExpiresAt.Should().Be(h.Time.GetUtcNow().AddMinutes(30));
    }

    [Fact]
    public async Task ForTenant_SeesAndChangesOnlyItsOwnSubscriptions()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        var acme = h.Subscriptions.ForTenant("acme");
        var globex = h.Subscriptions.ForTenant("globex");
        var a = await acme.CreateAsync(new("https://acme.example/hooks"));
        var g = await globex.CreateAsync(new("https://globex.example/hooks"));

        a.TenantId.Should().Be("acme");
        (await acme.GetAsync(g.Id)).Should().BeNull();
        (await acme.DeleteAsync(g.Id)).Should().BeFalse();
        (await acme.DisableAsync(g.Id)).Should().BeNull();
        (await acme.ListAsync()).Items.Select(s => s.Id).Should().Equal(a.Id);
        (await h.Subscriptions.ListAsync()).Items.Should().HaveCount(2);
        (await h.Subscriptions.ListAsync(new() { TenantId = "globex" })).Items.Select(s => s.Id).Should().Equal(g.Id);
        await FluentActions.Invoking(() => acme.CreateAsync(new("https://x.example/hooks") { TenantId = "globex" })).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Invoking(() => acme.ListAsync(new() { TenantId = "globex" })).Should().ThrowAsync<ArgumentException>();
        FluentActions.Invoking(() => acme.ForTenant("globex")).Should().Throw<ArgumentException>();
        acme.ForTenant("acme").TenantId.Should().Be("acme");
    }

    [Fact]
    public async Task ListAsync_FiltersAndPagesByKey()
    {
        await using var h = await SenderHarness.StartAsync(o => o.DispatcherEnabled = false);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await h.Subscriptions.CreateAsync(new($"https://e{i}.example/hooks") { EventTypes = [i % 2 == 0 ? "order.*" : "invoice.*"] })).Id);
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await h.Subscriptions.DisableAsync(ids[4]);

        var first = await h.Subscriptions.ListAsync(new() { Limit = 2 });
        var second = await h.Subscriptions.ListAsync(new() { Limit = 2, After = first.ContinuationToken });
        first.Items.Concat(second.Items).Select(s => s.Id).Should().Equal(ids[4], ids[3], ids[2], ids[1]);
        (await h.Subscriptions.ListAsync(new() { EventType = "order.created", Enabled = true })).Items.Select(s => s.Id).Should().Equal(ids[2], ids[0]);
        await FluentActions.Invoking(() => h.Subscriptions.ListAsync(new() { Limit = 0 })).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }
}
