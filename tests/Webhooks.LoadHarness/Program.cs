using Webhooks.LoadHarness.Load;
using Webhooks.LoadHarness;
using Webhooks.LoadHarness.Reporting;
using Webhooks.LoadHarness.Scenarios;

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(HarnessOptions.Usage);
    return 2;
}

var tables = new List<ResultTable>();
var failures = new List<string>();
var log = Console.Out;
log.WriteLine($"Webhooks.LoadHarness: scenario {options.Scenario}, count {options.Count}, concurrency {options.Concurrency}, {options.Rounds} rounds, limit {options.Duration.TotalSeconds:F0} s per run{(options.Smoke ? ", smoke" : "")}");
log.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {LoadAverage()}");

if (options.Runs("receiver"))
{
    var receiver = await ReceiverScenario.RunAsync(options, log);
    tables.AddRange(receiver);
}

if (options.Runs("inbox"))
{
    tables.AddRange(await InboxScenario.RunAsync(options, log));
}

if (options.Runs("probe"))
{
    tables.AddRange(await SlowBodyScenario.RunAsync(options, log));
}

if (options.Runs("sender") || options.Runs("backlog"))
{
    var stores = await StoreSelection.ResolveAsync(options, log);
    failures.AddRange(stores.Failures);
    if (options.Runs("sender"))
    {
        tables.AddRange(await SenderScenario.RunAsync(options, stores.Names, log));
    }

    if (options.Runs("backlog"))
    {
        tables.AddRange(await BacklogScenario.RunAsync(options, stores.Names, log));
    }
}

foreach (var table in tables)
{
    table.WriteText(log);
    foreach (var row in table.Failures)
    {
        failures.Add(row);
    }
}

if (options.MarkdownPath is { } path)
{
    await using var markdown = File.CreateText(path);
    foreach (var table in tables)
    {
        table.WriteMarkdown(markdown);
    }
}

foreach (var failure in failures)
{
    Console.Error.WriteLine("FAILED: " + failure);
}

log.WriteLine(failures.Count == 0 ? "OK" : $"{failures.Count} check(s) failed");
return failures.Count == 0 ? 0 : 1;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
