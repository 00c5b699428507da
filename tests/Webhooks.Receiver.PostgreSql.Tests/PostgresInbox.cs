using System.ComponentModel;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("Webhooks.Receiver.PostgreSql.Tests.PostgresTestFramework", "Webhooks.Receiver.PostgreSql.Tests")]

namespace Webhooks.Receiver.PostgreSql.Tests;

/// <summary>The server from <c>WEBHOOKS_TEST_POSTGRES</c>; each test class works in schemas of its own, dropped afterwards.</summary>
public sealed class PostgresInbox : IAsyncDisposable
{
    public const string Variable = "WEBHOOKS_TEST_POSTGRES";

    private static readonly Lazy<NpgsqlDataSource> Shared = new(() => NpgsqlDataSource.Create(
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set, but CI=true: the PostgreSQL tests need the server that .ci/postgres.sh starts.")));

    private readonly List<string> _schemas = [];

    /// <summary>Gets why the tests are skipped (no server configured outside CI), or <see langword="null"/>.</summary>
    public static string? SkipReason =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"PostgreSQL tests need a server: set {Variable}, or run .ci/run, which starts one with .ci/postgres.sh.";

    public static NpgsqlDataSource DataSource => Shared.Value;

    public string NewSchema()
    {
        var name = "inbox_" + Guid.NewGuid().ToString("N")[..20];
        _schemas.Add(name);
        return name;
    }

    public async Task<PostgreSqlWebhookInboxStore> NewStoreAsync(string? schema = null)
    {
        var store = new PostgreSqlWebhookInboxStore(DataSource, new PostgreSqlWebhookInboxOptions { Schema = schema ?? NewSchema() });
        await store.InitializeAsync();
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await using var command = DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Reports every fact as skipped, with <see cref="PostgresInbox.SkipReason"/>, when no server is configured outside CI.</summary>
public sealed class PostgresTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions) =>
            PostgresInbox.SkipReason is null || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any()
                ? base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions)
                : ReportDiscoveredTestCase(
                    new SkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod),
                    includeSourceInformation,
                    messageBus);
    }
}

/// <summary>A test case skipped because no PostgreSQL server is configured.</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer")]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(sink, display, options, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => PostgresInbox.SkipReason ?? base.GetSkipReason(factAttribute);
}
