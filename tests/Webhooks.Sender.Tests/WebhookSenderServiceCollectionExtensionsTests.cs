using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Sender.Delivery;
using Webhooks.Sender;
using Webhooks.Sender.Publishing;
using Webhooks.Sender.Storage;
using Webhooks.Sender.Subscriptions;

namespace Webhooks.Sender.Tests;

public sealed class WebhookSenderServiceCollectionExtensionsTests
{
    [Fact]
    public void AddWebhookSender_RegistersThePublicServicesAndTheInMemoryStore()
    {
        var services = new ServiceCollection().AddLogging();

        var builder = services.AddWebhookSender();
        using var provider = services.BuildServiceProvider();

        builder.Name.Should().Be("Webhooks.Sender");
        builder.Services.Should().BeSameAs(services);
        provider.GetRequiredService<IWebhookSubscriptions>().Should().NotBeNull();
        provider.GetRequiredService<IWebhookPublisher>().Should().NotBeNull();
        provider.GetRequiredService<IWebhookDeliveries>().Should().NotBeNull();
        provider.GetRequiredService<IWebhookStore>().Should().BeOfType<InMemoryWebhookStore>();
        provider.GetServices<IHostedService>().OfType<WebhookDispatcher>().Should().ContainSingle();
    }

    [Fact]
    public void AddWebhookSender_CalledTwice_RegistersNothingTwice()
    {
        var once = new ServiceCollection();
        once.AddWebhookSender();
        var twice = new ServiceCollection();
        twice.AddWebhookSender();
        twice.AddWebhookSender(o => o.BatchSize = 5);

        twice.Count.Should().Be(once.Count + 1, "only the second configure action is added");
        twice.Count(d => d.ServiceType == typeof(IHostedService)).Should().Be(1);
        twice.Count(d => d.ServiceType == typeof(IWebhookStore)).Should().Be(1);
        using var provider = twice.BuildServiceProvider();
        provider.GetRequiredService<IOptions<WebhookSenderOptions>>().Value.BatchSize.Should().Be(5);
    }

    [Fact]
    public void UseStore_ReplacesTheStore()
    {
        var services = new ServiceCollection();
        var store = new InMemoryWebhookStore();

        services.AddWebhookSender().UseStore(_ => store);
        services.AddWebhookSender();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IWebhookStore>().Should().BeSameAs(store);
        services.Count(d => d.ServiceType == typeof(IWebhookStore)).Should().Be(1);
    }

    [Fact]
    public void AddWebhookSender_FromConfiguration_BindsOptionsAndReplacesTheSchedule()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Sender:AttemptTimeout"] = "00:00:05",
            ["Webhooks:Sender:MaxConcurrentAttemptsPerEndpoint"] = "2",
            ["Webhooks:Sender:RetryDelays:0"] = "00:00:10",
            ["Webhooks:Sender:RetryDelays:1"] = "00:01:00",
            ["Webhooks:Sender:Ssrf:AllowedNetworks:0"] = "127.20.0.0/16",
            ["Webhooks:Sender:Ssrf:RequireHttps"] = "false",
        }).Build();
        var services = new ServiceCollection();

        services.AddWebhookSender(configuration.GetSection(WebhookSenderOptions.SectionName));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<WebhookSenderOptions>>().Value;

        options.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.MaxConcurrentAttemptsPerEndpoint.Should().Be(2);
        options.RetryDelays.Should().Equal(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1));
        options.Ssrf.AllowedNetworks.Should().Equal("127.20.0.0/16");
        options.Ssrf.RequireHttps.Should().BeFalse();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Options_BoundWithConfigure_ReplaceTheDefaultSchedule(bool throughAddWebhookSender)
    {
        var section = Json("""{ "Webhooks": { "Sender": { "RetryDelays": [ "00:00:10" ] } } }""").GetSection(WebhookSenderOptions.SectionName);

        var options = BindSenderOptions(section, throughAddWebhookSender);

        options.RetryDelays.Should().Equal(TimeSpan.FromSeconds(10));
        var policy = new RetryPolicy(Options.Create(options), () => 0);
        policy.MaxAttempts.Should().Be(2);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Options_NoScheduleInConfiguration_UseTheDefaultSchedule(bool throughAddWebhookSender)
    {
        var section = Json("""{ "Webhooks": { "Sender": { "AttemptTimeout": "00:00:05" } } }""").GetSection(WebhookSenderOptions.SectionName);

        var options = BindSenderOptions(section, throughAddWebhookSender);

        options.RetryDelays.Should().BeEmpty();
        new RetryPolicy(Options.Create(options), () => 0).MaxAttempts.Should().Be(WebhookSenderOptions.DefaultRetryDelays.Count + 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Options_EmptyScheduleArrayInConfiguration_BindsNothingAndKeepsTheDefaultSchedule(bool throughAddWebhookSender)
    {
        // As docs/configuration.md says: an empty array is no value to the binder, so it cannot mean "no retries".
        var section = Json("""{ "Webhooks": { "Sender": { "RetryDelays": [] } } }""").GetSection(WebhookSenderOptions.SectionName);

        var options = BindSenderOptions(section, throughAddWebhookSender);

        options.RetryDelays.Should().BeEmpty();
        new RetryPolicy(Options.Create(options), () => 0).MaxAttempts.Should().Be(WebhookSenderOptions.DefaultRetryDelays.Count + 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Options_MaxAttemptsOfOneInConfiguration_MeansNoRetries(bool throughAddWebhookSender)
    {
        var section = Json("""{ "Webhooks": { "Sender": { "MaxAttempts": 1 } } }""").GetSection(WebhookSenderOptions.SectionName);

        var options = BindSenderOptions(section, throughAddWebhookSender);

        var policy = new RetryPolicy(Options.Create(options), () => 0);
        policy.MaxAttempts.Should().Be(1);
        policy.GetDelay(1, null).Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Options_MaxAttemptsOutOfRange_FailValidationNamingTheValue(int maxAttempts)
    {
        var result = new WebhookSenderOptionsValidator().Validate(null, new WebhookSenderOptions { MaxAttempts = maxAttempts });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain($"MaxAttempts is '{maxAttempts}'");
    }

    [Fact]
    public void Options_NegativeRetryAgingThreshold_FailsValidationNamingTheValue()
    {
        var result = new WebhookSenderOptionsValidator().Validate(null, new WebhookSenderOptions { RetryAgingThreshold = TimeSpan.FromMinutes(-1) });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("RetryAgingThreshold is '-00:01:00'");
    }

    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

    private static WebhookSenderOptions BindSenderOptions(IConfiguration section, bool throughAddWebhookSender)
    {
        var services = new ServiceCollection();
        if (throughAddWebhookSender)
        {
            services.AddWebhookSender(section);
        }
        else
        {
            services.AddWebhookSender();
            services.Configure<WebhookSenderOptions>(section);
        }

        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WebhookSenderOptions>>().Value;
    }

    [Fact]
    public async Task AddWebhookSender_FromConfigurationWithUnknownKeys_StartFailsNamingEachKey()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Sender:AttemptTimout"] = "00:00:05",
            ["Webhooks:Sender:Ssrf:AllowedNetwork:0"] = "127.0.0.0/8",
            ["Webhooks:Sender:Sqlite:ConnectionString"] = "Data Source=webhooks.db",
        });
        builder.Services.AddWebhookSender(builder.Configuration.GetSection(WebhookSenderOptions.SectionName));
        using var host = builder.Build();

        var act = () => host.StartAsync();

        var error = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Message.Should().Contain("unknown key 'Webhooks:Sender:AttemptTimout'").And.Contain("WebhookSenderOptions has no such option");
        error.Message.Should().Contain("unknown key 'Webhooks:Sender:Ssrf:AllowedNetwork'").And.Contain("WebhookSsrfOptions");
        error.Message.Should().NotContain("Sqlite", "a store's section may sit inside the sender's");
    }

    [Fact]
    public async Task Start_WithInvalidOptions_FailsNamingTheBadValue()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWebhookSender(o =>
        {
            o.RetryJitter = 3;
            o.LeaseDuration = TimeSpan.FromSeconds(10);
            o.BatchSize = 0;
            o.Ssrf.AllowedNetworks.Add("127.0.0.1/8");
        });
        using var host = builder.Build();

        var act = () => host.StartAsync();

        var error = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Message.Should().Contain("RetryJitter is '3'");
        error.Message.Should().Contain("LeaseDuration is '00:00:10'");
        error.Message.Should().Contain("BatchSize is '0'");
        error.Message.Should().Contain("WebhookSenderOptions.Ssrf.AllowedNetworks[0] '127.0.0.1/8'");
    }

    [Fact]
    public void Validator_DefaultOptions_AreValid()
    {
        var result = new WebhookSenderOptionsValidator().Validate(null, new WebhookSenderOptions());

        result.Succeeded.Should().BeTrue();
    }

    [Fact]
    public void ConfigureHttpClient_AddsToTheSendersNamedClient()
    {
        var services = new ServiceCollection();
        var configured = false;

        services.AddWebhookSender().ConfigureHttpClient(b => b.ConfigureHttpClient(_ => configured = true));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSenderServiceCollectionExtensions.DefaultName);

        configured.Should().BeTrue();
    }
}
