using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Webhooks.Samples.Tests;

/// <summary>
/// A sample app run as its own process from its project folder (so its appsettings files are read as
/// <c>dotnet run</c> reads them), with its output collected line by line and awaitable.
/// </summary>
internal sealed partial class SampleProcess : IAsyncDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(Regex Pattern, int Count, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly object _lock = new();

    private SampleProcess(Process process) => _process = process;

    /// <summary>Gets everything the process wrote so far.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet {name}.dll</c> (from the test's output) in <c>samples/{name}</c>.</summary>
    public static SampleProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, $"{name}.dll");
        File.Exists(dll).Should().BeTrue("the test project references the sample, so its build output is copied beside the tests");
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            WorkingDirectory = Path.Combine(Repository.Root, "samples", name),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // Plain console lines: no colours, one line per field.
        start.Environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "false";
        start.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        var sample = new SampleProcess(new Process { StartInfo = start });
        sample._process.OutputDataReceived += (_, e) => sample.OnLine(e.Data);
        sample._process.ErrorDataReceived += (_, e) => sample.OnLine(e.Data);
        sample._process.Start();
        sample._process.BeginOutputReadLine();
        sample._process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>
    /// Runs <c>dotnet {name}.dll</c> (from the test's output) to its end, killing it after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(
        string name, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, $"{name}.dll");
        File.Exists(dll).Should().BeTrue("the test project references the sample, so its build output is copied beside the tests");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} did not exit within {timeout}. Output so far:\n{await stdout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Waits for the address Kestrel reports ("Now listening on: http://127.0.0.1:port").</summary>
    public async Task<Uri> ListeningAsync()
    {
        var line = await LineAsync(ListeningLine());
        return new Uri(ListeningLine().Match(line).Groups["url"].Value);
    }

    /// <summary>Waits until <paramref name="count"/> lines have matched <paramref name="pattern"/>; returns the last.</summary>
    public Task<string> LineAsync(Regex pattern, int count = 1)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var seen = pattern.Matches(_output.ToString()).Count;
            if (seen >= count)
            {
                done.SetResult(pattern.Matches(_output.ToString())[count - 1].Value);
            }
            else
            {
                _waiters.Add((pattern, count, done));
            }
        }

        return WaitAsync(done.Task, pattern);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<string> WaitAsync(Task<string> line, Regex pattern)
    {
        var exited = _process.WaitForExitAsync();
        Task first;
        try
        {
            first = await Task.WhenAny(line, exited).WaitAsync(SafetyNet).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{_process.StartInfo.ArgumentList[0]} wrote no line matching /{pattern}/ within {SafetyNet}. Output:\n{Output}");
        }

        if (first == line)
        {
            return await line;
        }

        throw new InvalidOperationException($"{_process.StartInfo.ArgumentList[0]} exited with {_process.ExitCode} before writing /{pattern}/. Output:\n{Output}");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
            var text = _output.ToString();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var (pattern, count, done) = _waiters[i];
                var matches = pattern.Matches(text);
                if (matches.Count >= count)
                {
                    done.TrySetResult(matches[count - 1].Value);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
