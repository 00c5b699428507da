using System.Net;

namespace Webhooks.Sender.Security;

/// <summary>Opens a TCP stream to one checked address; a <see cref="System.Net.Sockets.SocketException"/> moves on to the next address.
/// Production uses a plain socket; tests substitute one that records the target and refuses anything but loopback.</summary>
internal delegate ValueTask<Stream> SsrfSocketConnector(IPEndPoint endPoint, CancellationToken cancellationToken);
