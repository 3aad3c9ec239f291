using System.Net;
using System.Net.Sockets;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Listeners;

/// <summary>
/// The transparent outbound listener. It can be closed and reopened: while the identity can reach nothing, no socket
/// listens, so the kernel answers a SYN with RST and clients see "connection refused" (curl exit 7), as the seeds show.
/// IPv4 and IPv6 use separate sockets so each reads its own original-destination option.
/// </summary>
internal sealed class OutboundListener(IReadOnlyList<IPEndPoint> endpoints, Action<Socket, IPEndPoint> onAccepted, ILogger logger) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private List<(Socket Socket, Task Loop)> _open = [];

    public bool IsOpen
    {
        get
        {
            lock (_lock) return _open.Count > 0;
        }
    }

    /// <summary>The endpoints actually bound (the port is known even when 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> BoundEndpoints
    {
        get
        {
            lock (_lock) return [.. _open.Select(o => (IPEndPoint)o.Socket.LocalEndPoint!)];
        }
    }

    public void SetOpen(bool open)
    {
        lock (_lock)
        {
            if (open == _open.Count > 0) return;
            if (!open)
            {
                foreach (var (socket, _) in _open) socket.Dispose();
                _open = [];
                return;
            }
            foreach (var endpoint in endpoints)
            {
                var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    // Linux gives accepted sockets the listener's TCP_NODELAY: set once here, not per connection.
                    socket.NoDelay = true;
                    socket.Bind(endpoint);
                    socket.Listen(1024);
                    _open.Add((socket, AcceptLoopAsync(socket)));
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    ProxyLog.ListenFailed(logger, endpoint, e.Message); // e.g. no IPv6 in this network namespace
                }
            }
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync();
            }
            catch (SocketException e) when (e.SocketErrorCode is not (SocketError.OperationAborted or SocketError.Interrupted or SocketError.Shutdown))
            {
                // Not the listener closing: a client that reset while queued (ECONNABORTED), or out of descriptors or
                // buffers (EMFILE, ENFILE, ENOBUFS). The listener must live on: returning here would leave the socket
                // bound but never accepting, so clients would hang instead of being served or refused.
                ProxyLog.AcceptFailed(logger, endpoint, e.SocketErrorCode);
                if (e.SocketErrorCode is not SocketError.ConnectionAborted and not SocketError.ConnectionReset) await Task.Delay(50);
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // closed
            }
            if (!OperatingSystem.IsLinux()) accepted.NoDelay = true; // elsewhere, per connection (one system call each)
            onAccepted(accepted, endpoint);
        }
    }

    /// <summary>Stops listening now; accept loops end on their own.</summary>
    public void Close() => SetOpen(false);

    public async ValueTask DisposeAsync()
    {
        List<(Socket Socket, Task Loop)> open;
        lock (_lock)
        {
            open = _open;
            _open = [];
        }
        foreach (var (socket, _) in open) socket.Dispose();
        await Task.WhenAll(open.Select(o => o.Loop));
    }
}
