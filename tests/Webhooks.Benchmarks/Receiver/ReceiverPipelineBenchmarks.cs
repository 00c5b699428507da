using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Webhooks.Core.Schemes;
using Webhooks.LoadHarness.Scenarios;

namespace Webhooks.Benchmarks.Receiver;

/// <summary>
/// The receiver pipeline in process: one request through TestServer (routing, the endpoint, the response; no sockets)
/// for each candidate of the load harness's receiver scenario, on the real 23 KiB GitHub pull_request event.
/// The candidates are mapped by the harness's <see cref="ReceiverEndpoints"/> (linked source), so both measure the same code.
/// </summary>
[MemoryDiagnoser]
public class ReceiverPipelineBenchmarks
{
    private WebApplication _app = null!;
    private TestServer _server = null!;
    private byte[] _body = [];
    private string _signature = "";

    [Params("/bare", "/core", "/receiver-typed", "/receiver-element", "/octokit")]
    public string Path { get; set; } = "/bare";

    [GlobalSetup]
    public void Setup()
    {
        _body = File.ReadAllBytes(System.IO.Path.Combine(AppContext.BaseDirectory, "Data", "github-pull_request-opened.json"));
        _signature = GitHubWebhookSignature.Sign(ReceiverEndpoints.Secret, _body);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        new ReceiverEndpoints().AddServices(builder.Services);
        _app = builder.Build();
        ReceiverEndpoints.Map(_app);
        _app.StartAsync().GetAwaiter().GetResult();
        _server = _app.GetTestServer();
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public async Task<int> Post()
    {
        var context = await _server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Post;
            c.Request.Path = Path;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = _body.Length;
            c.Request.Headers[GitHubWebhookSignature.EventHeader] = ReceiverEndpoints.EventName;
            c.Request.Headers[GitHubWebhookSignature.DeliveryHeader] = Guid.NewGuid().ToString();
            c.Request.Headers[GitHubWebhookSignature.SignatureHeader] = _signature;
            c.Request.Body = new MemoryStream(_body, writable: false);
        }).ConfigureAwait(false);
        return context.Response.StatusCode is >= 200 and < 300 ? context.Response.StatusCode : throw new InvalidOperationException($"{Path} answered {context.Response.StatusCode}.");
    }
}
