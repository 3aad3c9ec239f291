using System.Net;
using Mesh.Proxy.Connections;

namespace Mesh.Proxy.Http;

/// <summary>
/// Opens an inspected connection's upstreams on its client's transport: on the client's epoll loop when the client is
/// there (a request's steps then stay on one thread), on .NET's sockets otherwise.
/// </summary>
internal static class UpstreamPeers
{
    public static async Task<Peer> ConnectAsync(ProxyContext context, Peer client, IPEndPoint endpoint, CancellationToken ct)
    {
        if (client is EpollPeer epoll)
        {
            return await EpollPeer.ConnectAsync(epoll.Socket.Loop, endpoint, context.Connector.ConnectTimeout, UpstreamSession.ReaderOptions, ct);
        }
        return new SocketPeer(await context.Connector.ConnectAsync(endpoint, ct), UpstreamSession.ReaderOptions);
    }

    /// <summary>To the first address of <paramref name="host"/> that answers, at <paramref name="port"/>.</summary>
    public static Task<Peer> ConnectAsync(ProxyContext context, Peer client, string host, int port, CancellationToken ct) =>
        context.Connector.ConnectAsync(host, port, (endpoint, c) => ConnectAsync(context, client, endpoint, c), ct);
}
