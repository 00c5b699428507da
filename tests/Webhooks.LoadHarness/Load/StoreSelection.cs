namespace Webhooks.LoadHarness.Load;

/// <summary>Which stores a run uses: the ones asked for, or by default memory, SQLite and PostgreSQL when it answers.</summary>
internal sealed record StoreSelection(IReadOnlyList<string> Names, IReadOnlyList<string> Failures)
{
    public static async Task<StoreSelection> ResolveAsync(HarnessOptions options, TextWriter log)
    {
        var asked = options.Stores.Count > 0;
        var names = asked ? options.Stores.ToList() : ["memory", "sqlite", "postgres"];
        var failures = new List<string>();
        if (names.Contains("postgres") && !PostgresStore.Available)
        {
            names.Remove("postgres");
            log.WriteLine("This build has no PostgreSQL store yet; the postgres store is skipped.");
        }

        if (names.Contains("postgres") && await PostgresDatabase.ProbeAsync(options.PostgresConnectionString).ConfigureAwait(false) is { } error)
        {
            names.Remove("postgres");
            var message = $"PostgreSQL is not reachable ({error}); the postgres store is skipped.";
            log.WriteLine(message);
            if (asked || options.PostgresExplicit)
            {
                failures.Add(message);
            }
        }

        return new StoreSelection(names, failures);
    }
}
