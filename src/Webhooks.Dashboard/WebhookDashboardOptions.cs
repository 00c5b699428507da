namespace Webhooks.Dashboard;

/// <summary>Options of the operator dashboard mapped by <see cref="WebhookDashboardEndpointRouteBuilderExtensions.MapWebhookDashboard"/>.</summary>
public sealed class WebhookDashboardOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether requests from other machines are answered when no authorization is
    /// configured for the dashboard. By default such a dashboard answers only local requests (loopback, or the
    /// server's own address), as Hangfire's does; call <c>RequireAuthorization(...)</c> on the mapping instead of
    /// setting this whenever you can.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowRemoteRequestsWithoutAuthorization { get; set; }

    /// <summary>Gets or sets a value indicating whether the pages only show: no action buttons, and every POST gets 403.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ReadOnly { get; set; }

    /// <summary>Gets or sets the title shown in the header and the browser tab.</summary>
    /// <value>The default is <see langword="null"/>: "Webhooks".</value>
    public string? Title { get; set; }

    /// <summary>Gets or sets how many rows a list shows per page, from 1 to 1000.</summary>
    /// <value>The default is 50.</value>
    public int PageSize { get; set; } = 50;
}
