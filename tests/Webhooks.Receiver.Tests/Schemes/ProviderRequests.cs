using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Receiver.Tests.Schemes;

/// <summary>Builds provider requests, signed independently of our code with the BCL's HMAC.</summary>
internal static class ProviderRequests
{
    public static string HmacHex(string secret, string content) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(content))).ToLowerInvariant();

    public static string HmacBase64(string secret, string content) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(content)));

    public static HttpRequestMessage Post(string path, string body, string contentType, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string ReadData(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", file));
}
