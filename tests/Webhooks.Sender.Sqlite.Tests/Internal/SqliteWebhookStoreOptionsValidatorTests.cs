using Webhooks.Sender.Sqlite.Internal;

namespace Webhooks.Sender.Sqlite.Tests.Internal;

public sealed class SqliteWebhookStoreOptionsValidatorTests
{
    private readonly SqliteWebhookStoreOptionsValidator _validator = new();

    [Fact]
    public void Validate_AFileConnectionString_Succeeds()
    {
        _validator.Validate(null, new SqliteWebhookStoreOptions { ConnectionString = "Data Source=webhooks.db" }).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData("", "*ConnectionString is empty*")]
    [InlineData("Data Source=", "*has no 'Data Source'*")]
    [InlineData("Data Source=a.db;Frobnicate=1", "*not a valid SQLite connection string*frobnicate*")]
    [InlineData("Data Source=a.db;Mode=ReadOnly", "*'a.db'*Mode=ReadOnly*ReadWriteCreate*")]
    public void Validate_ABadConnectionString_FailsNamingWhatIsWrong(string connectionString, string expected)
    {
        var result = _validator.Validate(null, new SqliteWebhookStoreOptions { ConnectionString = connectionString });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().MatchEquivalentOf(expected);
    }

    [Fact]
    public void Validate_ANonsenseConnectionString_DoesNotEchoIt()
    {
        var result = _validator.Validate(null, new SqliteWebhookStoreOptions { ConnectionString = "Data Source=a.db;Password=hunter2;Bogus=1" });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().NotContain("hunter2");
    }

    [Fact]
    public void Validate_BadTimesAndBatchSize_NameEachValue()
    {
        var result = _validator.Validate(null, new SqliteWebhookStoreOptions
        {
            ConnectionString = "Data Source=a.db",
            BusyTimeout = TimeSpan.Zero,
            SucceededRetention = TimeSpan.FromDays(-1),
            RetentionInterval = TimeSpan.Zero,
            RetentionBatchSize = 0,
        });

        result.Failures.Should().HaveCount(4);
        result.FailureMessage.Should().Contain("BusyTimeout").And.Contain("SucceededRetention").And.Contain("RetentionInterval").And.Contain("RetentionBatchSize is 0");
    }

    [Fact]
    public void Validate_RetentionLimitsOutOfRange_NameTheValues()
    {
        var result = _validator.Validate(null, new SqliteWebhookStoreOptions
        {
            ConnectionString = "Data Source=a.db",
            RetentionBatchPause = TimeSpan.FromSeconds(-1),
            RetentionMaxPerRun = 0,
        });

        result.Failures.Should().HaveCount(2);
        result.FailureMessage.Should().Contain("RetentionBatchPause is -00:00:01").And.Contain("RetentionMaxPerRun is 0");
    }

    [Fact]
    public void Validate_NoRetention_IsAllowed()
    {
        _validator.Validate(null, new SqliteWebhookStoreOptions { ConnectionString = "Data Source=a.db", SucceededRetention = null }).Succeeded.Should().BeTrue();
    }
}
