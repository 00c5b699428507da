using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace Webhooks.Dashboard.Tests.Testing;

/// <summary>
/// Debian's Chromium driven by Playwright, with nothing reachable but loopback: every host except localhost and
/// 127.0.0.1 resolves to nothing, and the proxy for other traffic is a local listener that closes every connection.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string ExecutablePath = Environment.GetEnvironmentVariable("WEBHOOKS_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _deadProxy;
    private Task? _proxyLoop;
    private IPlaywright? _playwright;

    /// <summary>Gets why the browser tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => File.Exists(ExecutablePath)
        ? null
        : $"Chromium not found at {ExecutablePath}: install it (apt-get install chromium) or set WEBHOOKS_TEST_CHROMIUM to run the browser tests.";

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        _deadProxy = new TcpListener(IPAddress.Loopback, 0);
        _deadProxy.Start();
        _proxyLoop = CloseEveryConnectionAsync(_deadProxy, _stop.Token);
        var port = ((IPEndPoint)_deadProxy.LocalEndpoint).Port;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-pings",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
                $"--proxy-server=http://127.0.0.1:{port}",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await _stop.CancelAsync();
        _deadProxy?.Stop();
        if (_proxyLoop is not null)
        {
            await _proxyLoop;
        }

        _stop.Dispose();
    }

    /// <summary>A page of a fresh context (own cookies), light theme, a fixed viewport so screenshots are stable.</summary>
    public async Task<IPage> NewPageAsync(string? tenant = null, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1280, Height = 900 },
            ColorScheme = scheme,
            ExtraHTTPHeaders = tenant is null ? null : new Dictionary<string, string> { ["X-Tenant"] = tenant },
        });
        return await context.NewPageAsync();
    }

    private static async Task CloseEveryConnectionAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var socket = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}

/// <summary>A test that needs the browser: skipped, with the reason shown, when Chromium is not installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
