using System.Text;

namespace Webhooks.Benchmarks.Signatures;

/// <summary>Bodies for the signature benchmarks: a real GitHub event, cut or repeated to the wanted size.</summary>
internal static class BenchmarkPayload
{
    public const string MessageId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

    public static byte[] Create(int size)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "github-pull_request-opened.json");
        var source = File.ReadAllBytes(path);
        var body = new byte[size];
        for (var offset = 0; offset < size; offset += source.Length)
        {
            source.AsSpan(0, Math.Min(source.Length, size - offset)).CopyTo(body.AsSpan(offset));
        }

        return body;
    }

    /// <summary>The exact bytes a Standard Webhooks signature covers: <c>{id}.{timestamp}.{body}</c>.</summary>
    public static byte[] SignedContent(string messageId, string timestamp, byte[] body) =>
        [.. Encoding.UTF8.GetBytes($"{messageId}.{timestamp}."), .. body];
}
