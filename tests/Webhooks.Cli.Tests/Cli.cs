using System.Text;

namespace Webhooks.Cli.Tests;

/// <summary>Runs the tool in process and keeps what it wrote.</summary>
internal static class Cli
{
    /// <summary>The Standard Webhooks specification's published test vector.</summary>
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    public const string Timestamp = "1614265330";
    public const string Payload = "{\"test\": 2432232314}";
    public const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    public static async Task<Result> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Program.RunAsync(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes a body file in a fresh temp folder and returns its path.</summary>
    public static string BodyFile(string text, TempFolder folder) => BodyFile(Encoding.UTF8.GetBytes(text), folder);

    public static string BodyFile(byte[] bytes, TempFolder folder)
    {
        var path = Path.Combine(folder.Path, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public string[] Lines => Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
    }
}

/// <summary>A temp folder deleted at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("webhooks-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>A writer that lets a test await a text (the listener's "Listening on" line, a printed request).</summary>
internal sealed class WatchedWriter : TextWriter
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<(string Needle, int Count, TaskCompletionSource<string> Done)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
            var text = _text.ToString();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (Occurrences(text, _waiters[i].Needle) >= _waiters[i].Count)
                {
                    _waiters[i].Done.TrySetResult(text);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public override void WriteLine(string? value) => Write(value + Environment.NewLine);

    /// <summary>Completes once <paramref name="needle"/> has been written <paramref name="count"/> times.</summary>
    public Task<string> WaitForAsync(string needle, int count = 1)
    {
        lock (_gate)
        {
            var text = _text.ToString();
            if (Occurrences(text, needle) >= count)
            {
                return Task.FromResult(text);
            }

            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((needle, count, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private static int Occurrences(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
