using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;

namespace Webhooks.Sender.Security;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the SSRF guard: resolves the host once, refuses the
/// connection if any address is not allowed, then connects to those same addresses in order (the first that accepts
/// wins). There is no second resolution, so an answer that changes after the check (DNS rebinding) is never used.
/// </summary>
internal sealed class SsrfGuardConnectCallback
{
    private readonly SsrfPolicy _policy;
    private readonly SsrfBlockedLog? _blockedLog;
    private readonly SsrfHostResolver _resolve;
    private readonly SsrfSocketConnector _connect;

    public SsrfGuardConnectCallback(
        SsrfPolicy policy, SsrfBlockedLog? blockedLog = null, SsrfHostResolver? resolver = null, SsrfSocketConnector? connector = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _blockedLog = blockedLog;
        _resolve = resolver ?? Dns.GetHostAddressesAsync;
        _connect = connector ?? ConnectSocketAsync;
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;

        IPAddress[] addresses;
        var hostAllowed = false;
        if (IPAddress.TryParse(host.AsSpan().Trim("[]"), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            hostAllowed = _policy.IsHostAllowed(host);
            addresses = await _resolve(host, cancellationToken).ConfigureAwait(false);
            if (addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }
        }

        foreach (var address in addresses)
        {
            if (!_policy.IsAllowed(address, hostAllowed, out var category))
            {
                var blocked = new WebhookSsrfBlockedException(host, port, address, category);
                _blockedLog?.Report(SsrfGuard.GetEndpointKey(context.InitialRequestMessage, host, port), blocked);
                throw blocked;
            }
        }

        return await ConnectToFirstAsync(addresses, port, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Stream> ConnectToFirstAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
        ExceptionDispatchInfo? lastFailure = null;
        foreach (var address in addresses)
        {
            // A mapped address means the IPv4 address it carries: connect over IPv4 rather than relying on dual-mode sockets.
            var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            try
            {
                return await _connect(new IPEndPoint(target, port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                lastFailure = ExceptionDispatchInfo.Capture(ex);
            }
        }

        lastFailure!.Throw();
        throw new UnreachableException();
    }

    private static async ValueTask<Stream> ConnectSocketAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
