using System.Net;
using System.Net.Sockets;

namespace Mesh.Proxy.Tests.Support;

/// <summary>
/// A listener on 127.0.0.1 that makes connected pairs: the application's end and the accepted socket, which a test
/// hands to the transport as a connection actor hands it a client.
/// </summary>
internal sealed class LoopbackListener : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public LoopbackListener()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndPoint!;

    public Task<Socket> AcceptAsync(CancellationToken ct) => _listener.AcceptAsync(ct).AsTask();

    /// <summary>A new connection: the application's end and the accepted one.</summary>
    public async Task<(Socket Application, Socket Accepted)> PairAsync(CancellationToken ct)
    {
        var accepting = _listener.AcceptAsync(ct);
        var application = await Net.ConnectDirectAsync(Endpoint, ct);
        return (application, await accepting);
    }

    public void Dispose() => _listener.Dispose();
}
