using System.Net;

namespace Webhooks.Sender.Security;

/// <summary>Resolves a host name to its addresses; <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/> in production, a fake in tests.</summary>
internal delegate Task<IPAddress[]> SsrfHostResolver(string host, CancellationToken cancellationToken);
