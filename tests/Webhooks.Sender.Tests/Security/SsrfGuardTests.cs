using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Security;

public class SsrfGuardTests
{
    [Fact]
    public void Configure_Enabled_SetsConnectCallbackAndNothingElse()
    {
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(7) };

        SsrfGuard.Configure(handler, new WebhookSsrfOptions(), blockedLog: null);

        handler.ConnectCallback.Should().NotBeNull();
        handler.AllowAutoRedirect.Should().BeFalse();
        handler.UseProxy.Should().BeFalse();
        handler.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void Configure_Disabled_LeavesTheHandlerAlone()
    {
        using var handler = new SocketsHttpHandler();

        SsrfGuard.Configure(handler, new WebhookSsrfOptions { Enabled = false }, blockedLog: null);

        handler.ConnectCallback.Should().BeNull();
    }

    [Fact]
    public void Configure_InvalidOptions_ThrowsNamingTheEntry()
    {
        using var handler = new SocketsHttpHandler();

        var act = () => SsrfGuard.Configure(handler, SsrfTestOptions.Create(networks: ["127.0.0.0/99"]), blockedLog: null);

        act.Should().Throw<ArgumentException>().WithMessage("*'127.0.0.0/99'*");
        handler.ConnectCallback.Should().BeNull();
    }

    [Fact]
    public void IsBlockedByPolicy_NestedInWrappers_FindsIt()
    {
        var blocked = new WebhookSsrfBlockedException("svc.test", 443, System.Net.IPAddress.Loopback, AddressCategory.Loopback);
        var wrapped = new TaskCanceledException("outer", new HttpRequestException("middle", blocked));

        SsrfGuard.IsBlockedByPolicy(wrapped, out var found).Should().BeTrue();
        found.Should().BeSameAs(blocked);
    }

    [Fact]
    public void IsBlockedByPolicy_OtherFailureOrNull_ReturnsFalse()
    {
        SsrfGuard.IsBlockedByPolicy(new HttpRequestException("x", new IOException("y")), out var found).Should().BeFalse();
        SsrfGuard.IsBlockedByPolicy(null, out _).Should().BeFalse();
        found.Should().BeNull();
    }

    [Fact]
    public void BlockedException_Message_NamesHostPortAddressCategoryAndFix()
    {
        var blocked = new WebhookSsrfBlockedException("svc.test", 8443, System.Net.IPAddress.Parse("127.0.0.2"), AddressCategory.Loopback);

        blocked.Message.Should().Contain("'svc.test:8443'").And.Contain("127.0.0.2").And.Contain("a loopback address")
            .And.Contain("AllowedNetworks");
    }

    [Theory]
    [InlineData(null, "Development", false)]
    [InlineData(null, "Production", true)]
    [InlineData(null, "Staging", true)]
    [InlineData(null, null, true)]
    [InlineData(true, "Development", true)]
    [InlineData(false, "Production", false)]
    [InlineData(false, null, false)]
    public void IsHttpsRequired_OptionAndEnvironment_ResolvesAsDocumented(bool? requireHttps, string? environmentName, bool expected)
    {
        var options = new WebhookSsrfOptions { RequireHttps = requireHttps };
        var environment = environmentName is null ? null : new FakeHostEnvironment(environmentName);

        SsrfGuard.IsHttpsRequired(options, environment).Should().Be(expected);
    }

    private sealed class FakeHostEnvironment(string environmentName) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = environmentName;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
