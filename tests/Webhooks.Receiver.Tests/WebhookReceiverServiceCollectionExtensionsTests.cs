using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Idempotency;

namespace Webhooks.Receiver.Tests;

public sealed class WebhookReceiverServiceCollectionExtensionsTests
{
    [Fact]
    public void AddWebhookReceiver_CalledTwice_RegistersServicesOnce()
    {
        var services = new ServiceCollection();

        services.AddWebhookReceiver(o => o.UseScheme(new TestScheme()));
        services.AddWebhookReceiver(o => o.UseScheme(new TestScheme()));

        services.Count(d => d.ServiceType == typeof(IWebhookIdempotencyStore)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<WebhookReceiverOptions>)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(TimeProvider)).Should().Be(1);
        services.Count(d => d.ImplementationInstance is Webhooks.Receiver.Internal.WebhookReceiverRegistry).Should().Be(1);
    }

    [Fact]
    public void AddWebhookReceiver_Builder_CarriesServicesAndName()
    {
        var services = new ServiceCollection();

        var builder = services.AddWebhookReceiver("github", o => o.UseGitHub("s3cret"));

        builder.Services.Should().BeSameAs(services);
        builder.Name.Should().Be("github");
    }

    [Fact]
    public void AddWebhookReceiver_NamedOptions_AreSeparate()
    {
        var services = new ServiceCollection();
        services.AddWebhookReceiver(o => o.UseStandardWebhooks(StandardSigner.EncodedSecret));
        services.AddWebhookReceiver("github", o => o.UseGitHub("gh-secret"));
        services.AddWebhookReceiver("stripe", o => { o.UseStripe("whsec_stripe"); o.Tolerance = TimeSpan.FromMinutes(1); });
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<WebhookReceiverOptions>>();

        monitor.Get(Options.DefaultName).Scheme.Should().Be(WebhookReceiverScheme.StandardWebhooks);
        monitor.Get("github").Scheme.Should().Be(WebhookReceiverScheme.GitHub);
        monitor.Get("github").Secrets.Should().Equal("gh-secret");
        monitor.Get("stripe").Tolerance.Should().Be(TimeSpan.FromMinutes(1));
        monitor.Get("github").Tolerance.Should().Be(WebhookReceiverOptions.DefaultTolerance);
    }

    [Fact]
    public void AddWebhookReceiver_Configuration_BindsEveryOption()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Shopify:Scheme"] = "shopify",
            ["Webhooks:Shopify:Secrets:0"] = "old-secret",
            ["Webhooks:Shopify:Secrets:1"] = "new-secret",
            ["Webhooks:Shopify:Tolerance"] = "00:02:00",
            ["Webhooks:Shopify:MaxBodySize"] = "2048",
            ["Webhooks:Shopify:IdempotencyRetention"] = "2.00:00:00",
            ["Webhooks:Shopify:IdempotencyLease"] = "00:00:30",
            ["Webhooks:Shopify:UnhandledEventStatusCode"] = "204",
            ["Webhooks:Shopify:BodyReadTimeout"] = "00:00:10",
        }).Build();
        var services = new ServiceCollection();
        services.AddWebhookReceiver("shopify", configuration.GetSection("Webhooks:Shopify"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<WebhookReceiverOptions>>().Get("shopify");

        options.Scheme.Should().Be(WebhookReceiverScheme.Shopify);
        options.Secrets.Should().Equal("old-secret", "new-secret");
        options.Tolerance.Should().Be(TimeSpan.FromMinutes(2));
        options.MaxBodySize.Should().Be(2048);
        options.IdempotencyRetention.Should().Be(TimeSpan.FromDays(2));
        options.IdempotencyLease.Should().Be(TimeSpan.FromSeconds(30));
        options.UnhandledEventStatusCode.Should().Be(204);
        options.BodyReadTimeout.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AddWebhookReceiver_ConfigurationWithUnknownKey_StartFailsNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:GitHub:Scheme"] = "GitHub",
            ["Webhooks:GitHub:Secret"] = "gh",
            ["Webhooks:GitHub:Tolerence"] = "00:01:00",
        }).Build();

        var act = () => StartAsync(services => services.AddWebhookReceiver("github", configuration.GetSection("Webhooks:GitHub")));

        var thrown = await act.Should().ThrowAsync<OptionsValidationException>();
        thrown.WithMessage("*'github'*unknown configuration key 'Webhooks:GitHub:Tolerence'*Tolerance*");
        thrown.Which.OptionsName.Should().Be("github");
    }

    [Fact]
    public async Task AddWebhookReceiver_DefaultReceiverConfigurationWithUnknownKey_StartFailsNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Receiver:Secret"] = StandardSigner.EncodedSecret,
            ["Webhooks:Receiver:MaxBodySise"] = "2048",
        }).Build();

        var act = () => StartAsync(services => services.AddWebhookReceiver(configuration.GetSection("Webhooks:Receiver")));

        (await act.Should().ThrowAsync<OptionsValidationException>())
            .WithMessage("*default webhook receiver*unknown configuration key 'Webhooks:Receiver:MaxBodySise'*");
    }

    [Theory]
    [InlineData("GitHub", null)]
    [InlineData("Stripe", "")]
    [InlineData("Shopify", null)]
    [InlineData("Slack", "")]
    public async Task Start_ProviderSecretMissing_FailsNamingTheReceiverAndTheFix(string provider, string? secret)
    {
        var act = () => StartAsync(services => services.AddWebhookReceiver("hooks", o =>
        {
            _ = provider switch
            {
                "GitHub" => o.UseGitHub(secret!),
                "Stripe" => o.UseStripe(secret!),
                "Shopify" => o.UseShopify(secret!),
                _ => o.UseSlack(secret!),
            };
        }));

        var thrown = await act.Should().ThrowAsync<OptionsValidationException>();
        thrown.WithMessage($"*webhook receiver 'hooks' has an empty secret*configuration value*missing*Use{provider}(secret)*");
    }

    [Fact]
    public void AddWebhookReceiver_ConfigurationWithBadValue_ErrorNamesKeyAndValue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Receiver:Secret"] = "gh",
            ["Receiver:Scheme"] = "GitHub",
            ["Receiver:Tolerance"] = "five minutes",
        }).Build();
        var services = new ServiceCollection();
        services.AddWebhookReceiver(configuration.GetSection("Receiver"));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptionsMonitor<WebhookReceiverOptions>>().Get(Options.DefaultName);

        act.Should().Throw<InvalidOperationException>().WithMessage("*'Receiver:Tolerance'*'five minutes'*");
    }

    [Fact]
    public async Task AddWebhookReceiver_ReloadedConfigurationWithUnknownKey_KeepsTheLastOptionsAndLogsOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GitHub:Scheme"] = "GitHub",
            ["GitHub:Secret"] = "old-secret",
        }).Build();
        await using var host = await ReceiverHost.StartAsync(
            services =>
            {
                services.AddFakeLogging();
                services.AddWebhookReceiver("github", configuration.GetSection("GitHub"));
            },
            app => app.MapWebhookReceiver("/hooks/github", "github"));
        var before = await host.Client.SendAsync(GitHubPing("old-secret", "d1"));

        configuration["GitHub:Secret"] = "new-secret";
        configuration["GitHub:Tolerence"] = "00:01:00";

        // The options monitor rebuilds the options inside the reload, so its caller sees the error too (a file watcher's
        // reload runs in a task of its own); the receiver must keep working meanwhile.
        var reload = () => configuration.Reload();
        reload.Should().Throw<AggregateException>().WithInnerException<OptionsValidationException>();
        var first = await host.Client.SendAsync(GitHubPing("old-secret", "d2"));
        var second = await host.Client.SendAsync(GitHubPing("old-secret", "d3"));

        before.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        first.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "the options that worked stay in force");
        second.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        var logged = host.Services.GetFakeLogCollector().GetSnapshot().Where(l => l.Id.Id == 13).ToList();
        logged.Should().ContainSingle().Which.Exception.Should().BeOfType<OptionsValidationException>()
            .Which.Message.Should().Contain("GitHub:Tolerence");
    }

    [Fact]
    public async Task AddWebhookReceiver_ConfigurationReloaded_NewSecretTakesEffectWithoutRestart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GitHub:Scheme"] = "GitHub",
            ["GitHub:Secret"] = "old-secret",
        }).Build();
        await using var host = await ReceiverHost.StartAsync(
            services => services.AddWebhookReceiver("github", configuration.GetSection("GitHub")),
            app => app.MapWebhookReceiver("/hooks/github", "github"));

        var before = await host.Client.SendAsync(GitHubPing("new-secret", "d1"));
        configuration["GitHub:Secret"] = "new-secret";
        configuration.Reload();
        var after = await host.Client.SendAsync(GitHubPing("new-secret", "d2"));

        before.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        after.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public async Task Start_NoSecret_FailsNamingTheReceiverAndTheFix()
    {
        var act = () => StartAsync(services => services.AddWebhookReceiver("github", o => o.Scheme = WebhookReceiverScheme.GitHub));

        (await act.Should().ThrowAsync<OptionsValidationException>())
            .WithMessage("*'github' has no secret*UseGitHub(secret)*");
    }

    [Fact]
    public async Task Start_UnparsableStandardSecret_FailsWithoutPrintingIt()
    {
        const string secret = "whsec_this-is-not-base64!!";
        var act = () => StartAsync(services => services.AddWebhookReceiver(o => o.Secrets.Add(secret)));

        var thrown = await act.Should().ThrowAsync<OptionsValidationException>();
        thrown.WithMessage("*default webhook receiver*Secrets[0]*not a Standard Webhooks secret*");
        thrown.Which.Message.Should().NotContain("this-is-not-base64");
    }

    [Theory]
    [InlineData("Tolerance")]
    [InlineData("MaxBodySize")]
    [InlineData("IdempotencyRetention")]
    [InlineData("IdempotencyLease")]
    [InlineData("UnhandledEventStatusCode")]
    [InlineData("EmptySecret")]
    [InlineData("Scheme")]
    public async Task Start_BadOption_FailsNamingIt(string option)
    {
        var act = () => StartAsync(services => services.AddWebhookReceiver("r", o =>
        {
            o.UseGitHub("secret");
            switch (option)
            {
                case "Tolerance": o.Tolerance = TimeSpan.FromSeconds(-1); break;
                case "MaxBodySize": o.MaxBodySize = 0; break;
                case "IdempotencyRetention": o.IdempotencyRetention = TimeSpan.Zero; break;
                case "IdempotencyLease": o.IdempotencyLease = TimeSpan.Zero; break;
                case "UnhandledEventStatusCode": o.UnhandledEventStatusCode = 99; break;
                case "EmptySecret": o.Secrets.Add(" "); option = "Secrets[1]"; break;
                case "Scheme": o.Scheme = (WebhookReceiverScheme)42; break;
            }
        }));

        (await act.Should().ThrowAsync<OptionsValidationException>()).WithMessage($"*'r'*{option}*");
    }

    [Fact]
    public async Task Start_ValidOptions_Starts()
    {
        var act = () => StartAsync(services => services.AddWebhookReceiver(o => o.UseStandardWebhooks(StandardSigner.EncodedSecret)));

        await act.Should().NotThrowAsync();
    }

    [Fact]
    public async Task Start_CustomScheme_NeedsNoSecret()
    {
        var act = () => StartAsync(services => services.AddWebhookReceiver(o => o.UseScheme(new TestScheme())));

        await act.Should().NotThrowAsync();
    }

    private static HttpRequestMessage GitHubPing(string secret, string delivery) =>
        Schemes.ProviderRequests.Post("/hooks/github", "{}", "application/json",
            ("X-Hub-Signature-256", "sha256=" + Schemes.ProviderRequests.HmacHex(secret, "{}")), ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", delivery));

    private static async Task StartAsync(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        configure(builder.Services);
        await using var app = builder.Build();
        await app.StartAsync();
        await app.StopAsync();
    }
}
