namespace Webhooks.Sender.CrashHost;

/// <summary>Plugs the store named by <c>--store</c> into the sender.</summary>
public static class StoreSelection
{
    public static void Apply(IWebhookSenderBuilder sender, CrashHostArguments arguments) =>
        _ = arguments.Store switch
        {
            "sqlite" => sender.UseSqlite(arguments.Connection),
            "postgres" => sender.UsePostgreSql(arguments.Connection),
            _ => throw new ArgumentException($"Unknown store '{arguments.Store}'; use sqlite or postgres.", nameof(arguments)),
        };
}
