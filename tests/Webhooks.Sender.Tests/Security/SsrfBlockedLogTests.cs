using System.Net;
using Microsoft.Extensions.Logging.Testing;
using Webhooks.Sender.Security;
using Webhooks.Sender;

namespace Webhooks.Sender.Tests.Security;

public class SsrfBlockedLogTests
{
    private static readonly WebhookSsrfBlockedException Blocked = new("svc.test", 443, IPAddress.Loopback, AddressCategory.Loopback);

    [Fact]
    public void Report_SameEndpointTwice_LogsOnce()
    {
        var logger = new FakeLogger<SsrfBlockedLog>();
        var log = new SsrfBlockedLog(logger);

        var first = log.Report("sub_1", Blocked);
        var second = log.Report("sub_1", Blocked);

        first.Should().BeTrue();
        second.Should().BeFalse();
        logger.Collector.Count.Should().Be(1);
        logger.LatestRecord.Message.Should().Contain("sub_1").And.Contain("svc.test").And.Contain("127.0.0.1");
    }

    [Fact]
    public void Report_AfterForget_LogsAgain()
    {
        var logger = new FakeLogger<SsrfBlockedLog>();
        var log = new SsrfBlockedLog(logger);

        log.Report("sub_1", Blocked);
        log.Forget("sub_1");
        log.Report("sub_1", Blocked);

        logger.Collector.Count.Should().Be(2);
    }

    [Fact]
    public void Report_MoreEndpointsThanCapacity_ResetsAndStaysBounded()
    {
        var logger = new FakeLogger<SsrfBlockedLog>();
        var log = new SsrfBlockedLog(logger, capacity: 2);

        log.Report("a", Blocked);
        log.Report("b", Blocked);
        log.Report("c", Blocked);
        var aAgain = log.Report("a", Blocked);

        aAgain.Should().BeTrue();
        logger.Collector.GetSnapshot().Select(r => r.Id.Id).Should().Equal(3000, 3000, 3001, 3000, 3000);
    }

    [Fact]
    public void Report_ManyThreadsOneEndpoint_LogsOnce()
    {
        var logger = new FakeLogger<SsrfBlockedLog>();
        var log = new SsrfBlockedLog(logger);

        Parallel.For(0, 200, _ => log.Report("sub_1", Blocked));

        logger.Collector.Count.Should().Be(1);
    }
}
