using System.Net;
using System.Net.Sockets;
using Mesh.Proxy.Observability;
using Mesh.Proxy.Transport;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Listeners;

/// <summary>
/// The transparent outbound listener. It can be closed and reopened: while the identity can reach nothing, no socket
/// listens, so the kernel answers a SYN with RST and clients see "connection refused" (curl exit 7), as the seeds show.
/// IPv4 and IPv6 use separate sockets so each reads its own original-destination option. With the epoll transport,
/// connections are accepted on its loop (<see cref="EpollAcceptor"/>) and <paramref name="onAccepted"/> runs there;
/// otherwise on .NET's accept loop. Either way it must not block.
/// </summary>
internal sealed class OutboundListener(IReadOnlyList<IPEndPoint> endpoints, Action<Socket, IPEndPoint> onAccepted, ILogger logger,
    EpollTransport? transport = null) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private List<Open> _open = [];

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
            lock (_lock) return [.. _open.Select(o => o.Endpoint)];
        }
    }

    public void SetOpen(bool open)
    {
        if (!open)
        {
            Close();
            return;
        }
        lock (_lock)
        {
            if (_open.Count > 0) return;
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
                    var bound = (IPEndPoint)socket.LocalEndPoint!;
                    _open.Add(transport is null
                        ? new Open(socket, bound, AcceptLoopAsync(socket), null)
                        : new Open(socket, bound, Task.CompletedTask, transport.Listen(socket, accepted => onAccepted(accepted, bound),
                            error => ProxyLog.AcceptFailed(logger, bound, error))));
                }
                catch (Exception e) when (e is SocketException or InvalidOperationException)
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

    /// <summary>
    /// Stops listening now; accept loops end on their own. The sockets are closed outside the lock: closing one the
    /// epoll transport accepts from waits for its loop, which may be in <c>onAccepted</c> reading <see cref="BoundEndpoints"/>.
    /// </summary>
    public void Close()
    {
        List<Open> open;
        lock (_lock)
        {
            open = _open;
            _open = [];
        }
        foreach (var listening in open) listening.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        List<Open> open;
        lock (_lock) open = _open;
        Close();
        await Task.WhenAll(open.Select(o => o.Loop));
    }

    /// <summary>A listening socket, and what accepts from it: .NET's accept loop, or an acceptor on the epoll transport.</summary>
    private sealed record Open(Socket Socket, IPEndPoint Endpoint, Task Loop, EpollAcceptor? Acceptor)
    {
        public void Stop()
        {
            // The acceptor holds the handle: released on its loop first, or the Socket's close would wait for that.
            if (Acceptor is not null) EpollTransport.StopListening(Acceptor);
            Socket.Dispose();
        }
    }
}
