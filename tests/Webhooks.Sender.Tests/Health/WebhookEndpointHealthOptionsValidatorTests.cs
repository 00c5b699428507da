using Microsoft.Extensions.Configuration;
using Webhooks.Sender.Health;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Health;

public class WebhookEndpointHealthOptionsValidatorTests
{
    private readonly WebhookEndpointHealthOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_SucceedAndMatchTheDocs()
    {
        var options = new WebhookEndpointHealthOptions();

        _validator.Validate(null, options).Succeeded.Should().BeTrue();
        options.DisableAfter.Should().Be(TimeSpan.FromDays(5));
        options.BreakAfterFailures.Should().Be(5);
        options.BreakDuration.Should().Be(TimeSpan.FromSeconds(30));
        options.MaxBreakDuration.Should().Be(TimeSpan.FromMinutes(5));
        options.DefaultRateLimitPerSecond.Should().BeNull();
        options.OnSubscriptionDisabled.Should().BeNull();
        options.OnCircuitOpened.Should().BeNull();
    }

    [Fact]
    public void Validate_FeaturesTurnedOff_Succeeds()
    {
        var options = new WebhookEndpointHealthOptions { DisableAfter = null, BreakAfterFailures = 0, BreakDuration = TimeSpan.Zero };

        _validator.Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData("DisableAfter", "-1.00:00:00", "WebhookEndpointHealthOptions.DisableAfter is -1.00:00:00; it must be positive")]
    [InlineData("DisableAfter", "00:00:00", "WebhookEndpointHealthOptions.DisableAfter is 00:00:00; it must be positive")]
    [InlineData("BreakAfterFailures", "-1", "WebhookEndpointHealthOptions.BreakAfterFailures is -1; it must be 0 (no circuit breaker) or more")]
    [InlineData("BreakDuration", "00:00:00", "WebhookEndpointHealthOptions.BreakDuration is 00:00:00; it must be positive")]
    [InlineData("MaxBreakDuration", "00:00:10", "WebhookEndpointHealthOptions.MaxBreakDuration is 00:00:10, shorter than BreakDuration 00:00:30")]
    [InlineData("DefaultRateLimitPerSecond", "0", "WebhookEndpointHealthOptions.DefaultRateLimitPerSecond is 0; it must be positive, or null for no limit.")]
    public void Validate_BadValueFromConfiguration_NamesItAndSaysWhatToWrite(string key, string value, string expected)
    {
        var options = new WebhookEndpointHealthOptions();
        new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build().Bind(options);

        var result = _validator.Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void Collect_NestedPath_PrefixesMessages()
    {
        var failures = WebhookEndpointHealthOptionsValidator.Collect(new WebhookEndpointHealthOptions { BreakAfterFailures = -2 }, "WebhookSenderOptions.EndpointHealth");

        failures.Should().ContainSingle().Which.Should().StartWith("WebhookSenderOptions.EndpointHealth.BreakAfterFailures is -2");
    }
}
