using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("Webhooks.Sender.PostgreSql.Tests.Testing.PostgresTestFramework", "Webhooks.Sender.PostgreSql.Tests")]

namespace Webhooks.Sender.PostgreSql.Tests.Testing;

/// <summary>
/// Every test of this assembly needs a PostgreSQL server. Without one (and outside CI) each test, including the
/// conformance facts inherited from Webhooks.Sender.Tests, is reported as skipped with <see cref="PostgresTestDatabase.SkipReason"/>.
/// </summary>
public sealed class PostgresTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (PostgresTestDatabase.SkipReason is null || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            var testCase = new SkippedWithoutServerTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
            return ReportDiscoveredTestCase(testCase, includeSourceInformation, messageBus);
        }
    }
}

/// <summary>A test case skipped because no PostgreSQL server is configured.</summary>
public sealed class SkippedWithoutServerTestCase : XunitTestCase
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedWithoutServerTestCase()
    {
    }

    public SkippedWithoutServerTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => PostgresTestDatabase.SkipReason ?? base.GetSkipReason(factAttribute);
}
