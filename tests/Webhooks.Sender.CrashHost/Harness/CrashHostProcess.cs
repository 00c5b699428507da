using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using Webhooks.Core;

namespace Webhooks.Sender.CrashHost.Harness;

/// <summary>One run of the crash host as a child process (<c>dotnet Webhooks.Sender.CrashHost.dll ...</c>), with its output.</summary>
public sealed class CrashHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _lines = new(StringComparer.Ordinal);

    private CrashHostProcess(Process process) => _process = process;

    /// <summary>
    /// Gets the built <c>Webhooks.Sender.CrashHost.dll</c>, recorded in the test assembly by CrashHost.targets
    /// (assembly metadata <c>CrashHostPath</c>).
    /// </summary>
    public static string HostPath
    {
        get
        {
            var path = typeof(CrashHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "CrashHostPath")?.Value;
            return !string.IsNullOrEmpty(path) && File.Exists(path)
                ? path
                : throw new InvalidOperationException($"The crash host was not found at '{path}'; import tests/Webhooks.Sender.CrashHost/CrashHost.targets in the test project and build it.");
        }
    }

    /// <summary>Gets everything the process wrote so far (stdout and stderr), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the host with <paramref name="arguments"/>; the secret travels in the environment, not the command line.</summary>
    public static CrashHostProcess Start(IEnumerable<string> arguments, WebhookSecret secret)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        info.ArgumentList.Add(HostPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment[CrashHostProtocol.SecretVariable] = secret.RevealEncoded();
        info.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new CrashHostProcess(process);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data, "out");
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data, "err");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Completes when the process writes a line starting with <paramref name="prefix"/> to stdout.</summary>
    public Task WaitForLineAsync(string prefix, CancellationToken cancellationToken)
    {
        var done = _lines.GetOrAdd(prefix, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_log)
        {
            if (_log.ToString().Split('\n').Any(l => l.StartsWith("out: " + prefix, StringComparison.Ordinal)))
            {
                done.TrySetResult();
            }
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Kills the process and everything it started (SIGKILL on Unix): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await KillAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
    }

    private void OnLine(string? line, string stream)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Append(stream).Append(": ").Append(line).Append('\n');
        }

        if (stream == "out")
        {
            foreach (var (prefix, done) in _lines)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    done.TrySetResult();
                }
            }
        }
    }
}
