using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Webhooks.Sender.PostgreSql.Tests.Testing;

/// <summary>
/// A loopback HTTP/1.1 endpoint that answers every request with fixed raw bytes, so a test can send what Kestrel would
/// refuse to write (U+0000 in a body or a header value). One request per connection.
/// </summary>
public sealed class RawHttpEndpoint : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    public RawHttpEndpoint(string rawResponse)
    {
        _response = Encoding.Latin1.GetBytes(rawResponse);
        _listener.Start();
        _loop = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hooks";

    public int Requests => Volatile.Read(ref _requests);

    public Task FirstRequest => _firstRequest.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var stream = client.GetStream();
            await ReadRequestAsync(stream, _stop.Token);
            Interlocked.Increment(ref _requests);
            await stream.WriteAsync(_response, _stop.Token);
            await stream.FlushAsync(_stop.Token);
            _firstRequest.TrySetResult();
        }
    }

    /// <summary>Reads the head and a body of the declared length (the sender always declares it).</summary>
    private static async Task ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            var n = await stream.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                return;
            }

            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        var head = Encoding.Latin1.GetString(received.ToArray(), 0, headEnd);
        var length = head.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var body = received.Count - headEnd - 4;
        while (body < length)
        {
            var n = await stream.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                return;
            }

            body += n;
        }
    }

    private static int IndexOfHeadEnd(List<byte> received)
    {
        for (var i = 0; i + 3 < received.Count; i++)
        {
            if (received[i] == '\r' && received[i + 1] == '\n' && received[i + 2] == '\r' && received[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
