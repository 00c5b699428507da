namespace Webhooks.Sender.CrashHost;

/// <summary>Plugs the store named by <c>--store</c> into the sender.</summary>
public static class StoreSelection
{
    public static void Apply(IWebhookSenderBuilder sender, CrashHostArguments arguments) =>
        _ = arguments.Store switch
        {
            "sqlite" => sender.UseSqlite(arguments.Connection),

            // Seam for the PostgreSQL store: replace with sender.UsePostgreSql(arguments.Connection) once
            // Webhooks.Sender.PostgreSql has it.
            "postgres" => throw new NotSupportedException("The PostgreSQL store has no UsePostgreSql yet; wire it in StoreSelection.Apply."),
            _ => throw new ArgumentException($"Unknown store '{arguments.Store}'; use sqlite or postgres.", nameof(arguments)),
        };
}
