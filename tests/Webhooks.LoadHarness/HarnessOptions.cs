using System.Globalization;

namespace Webhooks.LoadHarness;

/// <summary>The command line: <c>--scenario sender|receiver|backlog|probe|inbox|all --count N --concurrency C --store memory|sqlite|postgres --seconds S --smoke</c>.</summary>
internal sealed record HarnessOptions
{
    public const string Usage = """
        Webhooks.LoadHarness: loopback load runs, ours against the alternatives, side by side in one process.

          --scenario sender|receiver|backlog|probe|inbox|all   what to run (default: all)
          --count N          requests or deliveries per candidate per round (default 20000)
          --concurrency C    concurrent workers / connections (default 32)
          --store S          sender and backlog store: memory|sqlite|postgres|all (default: all that are reachable)
          --seconds S        time limit of each measured run; a run stops at N or S, whichever comes first (default 20)
          --rounds R         interleaved rounds per scenario; the table keeps the best and the median (default 3)
          --backlog N[,N]    pending deliveries for the backlog scenario (default 10000,1000000)
          --publishers N[,N] sender scenario: publish + dispatch with these numbers of concurrent publishers only, beside
                             the raw loop (no dispatch-only or in-process runs), with each run's PublishAsync latency
          --connections N    probe scenario: connections that announce a 1 MiB body and send 1 byte (default 400)
          --postgres CS      PostgreSQL server (default: $WEBHOOKS_TEST_POSTGRES, else Host=127.0.0.1;Port=54329;Username=postgres)
          --markdown FILE    also write the tables as markdown to FILE
          --smoke            a tiny run that checks correctness only (every request answered 2xx, every delivery arrived)
        """;

    public string Scenario { get; init; } = "all";

    public int Count { get; init; } = 20_000;

    public int Concurrency { get; init; } = 32;

    public IReadOnlyList<string> Stores { get; init; } = [];

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public int Rounds { get; init; } = 3;

    public IReadOnlyList<int> Backlog { get; init; } = [10_000, 1_000_000];

    /// <summary>Gets the numbers of concurrent publishers for the sender scenario's publish runs (empty: the default set).</summary>
    public IReadOnlyList<int> Publishers { get; init; } = [];

    public int Connections { get; init; } = 400;

    public string PostgresConnectionString { get; init; } =
        Environment.GetEnvironmentVariable("WEBHOOKS_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : "Host=127.0.0.1;Port=54329;Username=postgres";

    public bool PostgresExplicit { get; init; }

    public string? MarkdownPath { get; init; }

    public bool Smoke { get; init; }

    public bool Runs(string scenario) => Scenario is "all" || Scenario == scenario;

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        var countSet = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"'{name}' needs a value.");
            int Positive() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"'{name}' needs a positive whole number.");
            switch (name)
            {
                case "--scenario":
                    var scenario = Value();
                    options = scenario is "sender" or "receiver" or "backlog" or "probe" or "inbox" or "all"
                        ? options with { Scenario = scenario }
                        : throw new ArgumentException($"Unknown scenario '{scenario}': use sender, receiver, backlog, probe, inbox or all.");
                    break;
                case "--count":
                    options = options with { Count = Positive() };
                    countSet = true;
                    break;
                case "--concurrency":
                    options = options with { Concurrency = Positive() };
                    break;
                case "--seconds":
                    options = options with { Duration = TimeSpan.FromSeconds(Positive()) };
                    break;
                case "--connections":
                    options = options with { Connections = Positive() };
                    break;
                case "--rounds":
                    options = options with { Rounds = Positive() };
                    break;
                case "--store":
                    var store = Value();
                    options = store is "memory" or "sqlite" or "postgres"
                        ? options with { Stores = [store] }
                        : store is "all"
                            ? options with { Stores = ["memory", "sqlite", "postgres"] }
                            : throw new ArgumentException($"Unknown store '{store}': use memory, sqlite, postgres or all.");
                    break;
                case "--backlog":
                    options = options with { Backlog = [.. Value().Split(',').Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture))] };
                    break;
                case "--publishers":
                    var publishers = Value();
                    options = options with
                    {
                        Publishers = [.. publishers.Split(',').Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                            ? n
                            : throw new ArgumentException($"'--publishers' needs positive whole numbers separated by commas, not '{publishers}'."))],
                    };
                    break;
                case "--postgres":
                    options = options with { PostgresConnectionString = Value(), PostgresExplicit = true };
                    break;
                case "--markdown":
                    options = options with { MarkdownPath = Value() };
                    break;
                case "--smoke":
                    options = options with { Smoke = true };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (options.Smoke)
        {
            options = options with
            {
                Count = countSet ? options.Count : 200,
                Concurrency = Math.Min(options.Concurrency, 8),
                Duration = TimeSpan.FromSeconds(Math.Min(options.Duration.TotalSeconds, 10)),
                Rounds = 1,
                Backlog = [200, 2_000],
                Connections = Math.Min(options.Connections, 50),
            };
        }

        return options;
    }
}
