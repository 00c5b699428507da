using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Webhooks.Samples.Tests;

/// <summary>
/// The sender and receiver samples run together as their READMEs say: each from its project folder with the
/// environment of its launchSettings.json profile (Development), then the README's calls: a subscription from the
/// sender to the receiver, a publish, the delivery list, a redelivery. Both listen on 127.0.0.1; the ports are the
/// ones Kestrel reports (port 0), so the test never collides with a sample already running on its usual port.
/// </summary>
public sealed class SamplesTogetherTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("webhooks-samples-together-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void LaunchSettings_BothSamples_RunInDevelopmentOnDistinctLoopbackPorts()
    {
        var sender = LaunchProfile("Webhooks.Samples.Sender");
        var receiver = LaunchProfile("Webhooks.Samples.Receiver");

        sender.Environment.Should().Contain("ASPNETCORE_ENVIRONMENT", "Development");
        receiver.Environment.Should().Contain("ASPNETCORE_ENVIRONMENT", "Development");
        sender.Url.Host.Should().Be("127.0.0.1");
        receiver.Url.Host.Should().Be("127.0.0.1");
        sender.Url.Port.Should().NotBe(receiver.Url.Port);

        var senderReadme = File.ReadAllText(Path.Combine(Repository.Root, "samples", "Webhooks.Samples.Sender", "README.md"));
        senderReadme.Should().Contain($"API=http://127.0.0.1:{sender.Url.Port}/api/webhooks")
            .And.Contain($"http://127.0.0.1:{receiver.Url.Port}/webhooks")
            .And.Contain(ReceiverDevelopmentSecret(), "the README subscribes with the secret the receiver uses in Development");
    }

    [Fact]
    public void SsrfLoopbackAllowance_IsInTheSendersDevelopmentSettingsOnly()
    {
        var folder = Path.Combine(Repository.Root, "samples", "Webhooks.Samples.Sender");

        File.ReadAllText(Path.Combine(folder, "appsettings.Development.json")).Should().Contain("127.0.0.0/8");
        File.ReadAllText(Path.Combine(folder, "appsettings.json")).Should().NotContain("AllowedNetworks");
    }

    [Fact]
    public async Task SenderAndReceiver_AsTheReadmeSays_DeliverListAndRedeliver()
    {
        var senderProfile = LaunchProfile("Webhooks.Samples.Sender");
        var receiverProfile = LaunchProfile("Webhooks.Samples.Receiver");
        await using var receiver = SampleProcess.Start("Webhooks.Samples.Receiver", receiverProfile.Environment, "--urls", "http://127.0.0.1:0");
        await using var sender = SampleProcess.Start(
            "Webhooks.Samples.Sender",
            senderProfile.Environment,
            "--urls", "http://127.0.0.1:0",
            $"--ConnectionStrings:Webhooks=Data Source={Path.Combine(_directory, "sender.db")}");
        var receiverUrl = await receiver.ListeningAsync();
        using var api = new HttpClient { BaseAddress = await sender.ListeningAsync() };

        // 1. A subscription from the sender to the receiver, with the receiver's Development secret.
        using var created = await api.PostAsJsonAsync("/api/webhooks/endpoints", new
        {
            url = new Uri(receiverUrl, "/webhooks").ToString(),
            eventTypes = new[] { "order.*" },
            secret = ReceiverDevelopmentSecret(),
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        // 2. Publish; the 202 points at the message.
        using var published = await api.PostAsJsonAsync("/api/webhooks/messages", new { eventType = "order.created", data = new { orderId = 42, customer = "Ada Lovelace", total = 42.50 } });
        published.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var messageId = (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messageId").GetString()!;
        published.Headers.Location!.ToString().Should().Be($"/api/webhooks/messages/{messageId}");
        var deliveries = new Uri($"/api/webhooks/deliveries?messageId={messageId}", UriKind.Relative);

        // The receiver verified it and ran its handler.
        await receiver.LineAsync(new Regex($@"order\.created: order 42 for Ada Lovelace, total 42\.5 \(message {messageId}\)"));

        // 3. The delivery list, filtered by the message, with statuses as names.
        using var other = await api.PostAsJsonAsync("/api/webhooks/messages", new { eventType = "order.created", data = new { orderId = 43 } });
        other.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var delivery = await DeliveryAsync(api, deliveries, attempts: 1);
        delivery.GetProperty("messageId").GetString().Should().Be(messageId);
        delivery.GetProperty("status").GetString().Should().Be("Succeeded");

        // 4. Redeliver: the delivery is sent again (same webhook-id), which the receiver acknowledges as a repeat.
        using var redelivered = await api.PostAsync(new Uri($"/api/webhooks/deliveries/{delivery.GetProperty("id").GetString()}/redeliver", UriKind.Relative), null);
        redelivered.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await receiver.LineAsync(new Regex($@"skipped message {messageId}: it was handled already"));
        var redelivery = await DeliveryAsync(api, deliveries, attempts: 2);
        redelivery.GetProperty("id").GetString().Should().Be(delivery.GetProperty("id").GetString());
        var attempts = await api.GetFromJsonAsync<JsonElement>($"/api/webhooks/deliveries/{delivery.GetProperty("id").GetString()}/attempts");
        attempts.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()).Should().Equal(200, 200);
        sender.Output.Should().NotContain("fail:", "nothing failed on the way");
        receiver.Output.Should().NotContain("fail:");
    }

    /// <summary>
    /// The message's only delivery once it has succeeded with <paramref name="attempts"/> attempts in its log. The sender stores an
    /// outcome a moment after the receiver has answered and offers no notification of it, so this re-reads the list
    /// (bounded) after the receiver's signal; the assertion does not depend on how long that takes.
    /// </summary>
    private static async Task<JsonElement> DeliveryAsync(HttpClient api, Uri location, int attempts)
    {
        using var safetyNet = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var statuses = "";
        try
        {
            do
            {
                var page = await api.GetFromJsonAsync<JsonElement>(location, safetyNet.Token);
                List<JsonElement> items = [.. page.GetProperty("items").EnumerateArray()];
                statuses = string.Join(", ", items.Select(d => d.GetProperty("status").ToString()));
                if (items is [var only] && only.GetProperty("status").ToString() == "Succeeded")
                {
                    var logged = await api.GetFromJsonAsync<JsonElement>($"/api/webhooks/deliveries/{only.GetProperty("id").GetString()}/attempts", safetyNet.Token);
                    statuses += $" with {logged.GetProperty("items").GetArrayLength()} attempt(s)";
                    if (logged.GetProperty("items").GetArrayLength() == attempts)
                    {
                        return only;
                    }
                }
            }
            while (await tick.WaitForNextTickAsync(safetyNet.Token));
        }
        catch (OperationCanceledException) when (safetyNet.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"{location} still lists [{statuses}], not one delivery Succeeded with {attempts} attempt(s).");
    }

    private static (Uri Url, Dictionary<string, string> Environment) LaunchProfile(string sample)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "samples", sample, "Properties", "launchSettings.json")));
        var profile = settings.RootElement.GetProperty("profiles").GetProperty(sample);
        var environment = profile.GetProperty("environmentVariables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return (new Uri(profile.GetProperty("applicationUrl").GetString()!), environment);
    }

    private static string ReceiverDevelopmentSecret()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "samples", "Webhooks.Samples.Receiver", "appsettings.Development.json")));
        return settings.RootElement.GetProperty("Webhooks").GetProperty("Receiver").GetProperty("Secret").GetString()!;
    }
}
