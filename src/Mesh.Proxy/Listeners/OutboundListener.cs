using System.Net;
using System.Net.Sockets;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Observability;
using Mesh.Proxy.Transport;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Listeners;

/// <summary>
/// The transparent outbound listener. It can be closed and reopened: while the identity can reach nothing, no socket
/// listens, so the kernel answers a SYN with RST and clients see "connection refused" (curl exit 7), as the seeds show.
/// IPv4 and IPv6 use separate sockets so each reads its own original-destination option. With the epoll transport,
/// connections are accepted on its loop (<see cref="EpollAcceptor"/>) and <paramref name="onAccepted"/> runs there;
/// otherwise on .NET's accept loop. Either way it must not block. With <paramref name="live"/>, accepting pauses while
/// the node holds its connection limit (clients wait in the listen queue), and resumes as connections end.
/// </summary>
internal sealed class OutboundListener(IReadOnlyList<IPEndPoint> endpoints, Action<Socket, IPEndPoint> onAccepted, ILogger logger,
    EpollTransport? transport = null, LiveConnections? live = null) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly LiveConnections? _live = live;
    private readonly Action<Socket, IPEndPoint> _onAccepted = onAccepted;
    private readonly ILogger _logger = logger;
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
                        : new Open(socket, bound, Task.CompletedTask, transport.Listen(socket, new Target(this, bound))));
                }
                catch (Exception e) when (e is SocketException or InvalidOperationException)
                {
                    socket.Dispose();
                    ProxyLog.ListenFailed(_logger, endpoint, e.Message); // e.g. no IPv6 in this network namespace
                }
            }
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var target = new Target(this, endpoint);
        while (true)
        {
            if (_live is not null && !await _live.WaitForRoomAsync(listener, _logger)) return;
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
                target.Failed(e.SocketErrorCode);
                if (e.SocketErrorCode is not SocketError.ConnectionAborted and not SocketError.ConnectionReset) await Task.Delay(TimeSpan.FromMilliseconds(50));
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // closed
            }
            if (!OperatingSystem.IsLinux()) accepted.NoDelay = true; // elsewhere, per connection (one system call each)
            target.Accepted(accepted);
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

    /// <summary>One listening socket's side of accepting, on either accept path (pauses are the epoll acceptor's to say).</summary>
    private sealed class Target(OutboundListener owner, IPEndPoint endpoint) : IAcceptTarget
    {
        public bool HasRoom => owner._live?.HasRoom ?? true;

        public void Accepted(Socket socket) => owner._onAccepted(socket, endpoint);

        public void Failed(SocketError error) => ProxyLog.AcceptFailed(owner._logger, endpoint, error);

        public void Paused(bool paused)
        {
            if (paused) ProxyLog.AcceptPaused(owner._logger, endpoint, owner._live?.Limit ?? 0);
            else ProxyLog.AcceptResumed(owner._logger, endpoint);
        }
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
