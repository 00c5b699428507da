using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Tests.Inbox;

/// <summary>Inbox options: bound from configuration without reflection, validated at start with messages naming the value.</summary>
public sealed class WebhookInboxOptionsTests
{
    [Fact]
    public void UseInbox_BindsEveryKeyFromConfiguration()
    {
        var options = Resolve(new Dictionary<string, string?>
        {
            ["RetryDelays:0"] = "00:00:05",
            ["RetryDelays:1"] = "00:02:00",
            ["MaxAttempts"] = "3",
            ["LeaseDuration"] = "00:01:00",
            ["PollInterval"] = "00:00:02",
            ["MaxConcurrency"] = "8",
            ["AcceptedStatusCode"] = "200",
            ["ProcessedRetention"] = "2.00:00:00",
            ["DeadRetention"] = "10.00:00:00",
            ["RetentionInterval"] = "00:05:00",
        });

        options.RetryDelays.Should().Equal(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));
        options.MaxAttempts.Should().Be(3);
        options.LeaseDuration.Should().Be(TimeSpan.FromMinutes(1));
        options.PollInterval.Should().Be(TimeSpan.FromSeconds(2));
        options.MaxConcurrency.Should().Be(8);
        options.AcceptedStatusCode.Should().Be(200);
        options.ProcessedRetention.Should().Be(TimeSpan.FromDays(2));
        options.DeadRetention.Should().Be(TimeSpan.FromDays(10));
        options.RetentionInterval.Should().Be(TimeSpan.FromMinutes(5));
        options.DelayAfter(1).Should().Be(TimeSpan.FromSeconds(5));
        options.DelayAfter(9).Should().Be(TimeSpan.FromMinutes(2), "the last delay repeats");
    }

    [Fact]
    public void UseInbox_UnknownConfigurationKey_FailsNamingIt()
    {
        var act = () => Resolve(new Dictionary<string, string?> { ["MaxAtempts"] = "3" });

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("MaxAtempts").And.Contain("WebhookInboxOptions");
    }

    [Theory]
    [InlineData("MaxAttempts", "0", "MaxAttempts = 0")]
    [InlineData("AcceptedStatusCode", "500", "AcceptedStatusCode = 500")]
    [InlineData("LeaseDuration", "-00:00:01", "LeaseDuration = -00:00:01")]
    [InlineData("MaxConcurrency", "0", "MaxConcurrency = 0")]
    [InlineData("RetryDelays:0", "-00:00:01", "RetryDelays[0]")]
    public void UseInbox_InvalidValue_FailsNamingTheReceiverAndTheValue(string key, string value, string expected)
    {
        var act = () => Resolve(new Dictionary<string, string?> { [key] = value }, "github");

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("'github'").And.Contain(expected);
    }

    [Fact]
    public void DefaultRetryDelays_ApplyWhenNoneAreGiven()
    {
        var options = new WebhookInboxOptions();

        options.DelayAfter(1).Should().Be(TimeSpan.FromSeconds(10));
        options.DelayAfter(7).Should().Be(TimeSpan.FromHours(12));
        options.DelayAfter(100).Should().Be(TimeSpan.FromHours(12));
    }

    [Fact]
    public async Task ListAsync_LimitOutOfRange_Throws()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddWebhookReceiver(o => o.Secrets.Add(StandardSigner.EncodedSecret)).UseInbox();
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IWebhookInbox>().ListAsync(new WebhookInboxQuery { Limit = 0 }).AsTask();

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("Limit");
    }

    [Fact]
    public void UseInbox_Twice_RegistersTheProcessorOnce()
    {
        var services = new ServiceCollection();
        services.AddWebhookReceiver(o => o.Secrets.Add(StandardSigner.EncodedSecret)).UseInbox().UseInbox();
        services.AddWebhookReceiver("github", o => o.UseGitHub("s")).UseInbox();

        services.Count(d => d.ImplementationType?.Name == "WebhookInboxProcessor").Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IWebhookInbox)).Should().Be(1);
    }

    private static WebhookInboxOptions Resolve(Dictionary<string, string?> values, string name = "")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddWebhookReceiver(name, o => o.Secrets.Add(StandardSigner.EncodedSecret)).UseInbox(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<WebhookInboxOptions>>().Get(name);
    }
}
