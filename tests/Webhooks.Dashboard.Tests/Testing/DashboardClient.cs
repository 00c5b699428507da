using System.Net;
using System.Text.RegularExpressions;

namespace Webhooks.Dashboard.Tests.Testing;

/// <summary>An HTTP client with cookies that posts the pages' forms with their antiforgery token.</summary>
public sealed partial class DashboardClient : IDisposable
{
    private readonly HttpClient _client;

    public DashboardClient(DashboardApp app, string? tenant = null, string? remote = null)
    {
        _client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        if (tenant is not null)
        {
            _client.DefaultRequestHeaders.Add("X-Tenant", tenant);
        }

        if (remote is not null)
        {
            _client.DefaultRequestHeaders.Add("X-Test-Remote", remote);
        }
    }

    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await _client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Reads the antiforgery token from a page's form, then posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> PostAsync(string pagePath, string action, params (string Name, string Value)[] fields)
    {
        var (_, html, _) = await GetAsync(pagePath);
        var token = TokenField().Match(html);
        token.Success.Should().BeTrue($"the page {pagePath} has a form with an antiforgery token");
        return await PostRawAsync(action, [(token.Groups["name"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value)), .. fields]);
    }

    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> PostRawAsync(string action, params (string Name, string Value)[] fields)
    {
        var response = await _client.PostAsync(action, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>__RequestVerificationToken[^\"]*)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}
