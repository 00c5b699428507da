using Npgsql;
using Webhooks.Sender.PostgreSql.Internal;

namespace Webhooks.Sender.PostgreSql.Tests;

/// <summary>The tuning of the data source the store builds from a connection string (no server needed).</summary>
public sealed class PostgreSqlDataSourceTuningTests
{
    [Fact]
    public void AConnectionStringWithoutAutoPrepare_GetsItAndNoResetOnClose()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgreSqlDataSourceProvider.WithAutoPrepare("Host=127.0.0.1;Username=app;Password=secret;Database=app"));

        tuned.MaxAutoPrepare.Should().Be(32);
        tuned.AutoPrepareMinUsages.Should().Be(2);
        tuned.NoResetOnClose.Should().BeTrue();
        tuned.Host.Should().Be("127.0.0.1");
        tuned.Password.Should().Be("secret");
        tuned.Database.Should().Be("app");
    }

    [Fact]
    public void AConnectionStringThatSetsAutoPrepare_KeepsItsOwnSetting()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgreSqlDataSourceProvider.WithAutoPrepare("Host=127.0.0.1;Max Auto Prepare=5;Auto Prepare Min Usages=7"));

        tuned.MaxAutoPrepare.Should().Be(5);
        tuned.AutoPrepareMinUsages.Should().Be(7);
    }
}
