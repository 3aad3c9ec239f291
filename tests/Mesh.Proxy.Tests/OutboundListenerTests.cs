using System.Net;
using System.Net.Sockets;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Listeners;
using Mesh.Proxy.Tests.Support;
using Mesh.Proxy.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Proxy.Tests;

/// <summary>
/// The transparent listener's accepted sockets, as the connection actors get them, accepted on .NET's accept loop
/// (no transport) or on the epoll transport's loop.
/// </summary>
public sealed class OutboundListenerTests : IDisposable
{
    private readonly EpollTransport _transport = new(loops: 1);

    /// <summary>A listener on <paramref name="at"/> (a free loopback port by default), open.</summary>
    private OutboundListener Open(bool onEpoll, Action<Socket, IPEndPoint> onAccepted, IPEndPoint? at = null, LiveConnections? live = null)
    {
        var listener = new OutboundListener([at ?? new IPEndPoint(IPAddress.Loopback, 0)], onAccepted, NullLogger.Instance, onEpoll ? _transport : null, live);
        listener.SetOpen(true);
        return listener;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_accepted_socket_has_nagle_off_without_a_call_per_connection_and_is_in_blocking_mode(bool onEpoll)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var accepted = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = Open(onEpoll, (socket, _) => accepted.TrySetResult(socket));

        using var client = await Net.ConnectDirectAsync(listener.BoundEndpoints[0], ct);
        using var socket = await accepted.Task.WaitAsync(ct);

        // Inherited from the listener on Linux (TCP_NODELAY is copied into each connection the listener accepts).
        Assert.True(socket.NoDelay);
        Assert.True(socket.Blocking); // the connection actor's synchronous calls rely on it
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_burst_of_connections_is_accepted_whole_each_with_its_listener(bool onEpoll)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var accepted = new System.Collections.Concurrent.ConcurrentBag<(Socket Socket, IPEndPoint Listener)>();
        await using var listener = Open(onEpoll, (socket, endpoint) => accepted.Add((socket, endpoint)));
        var bound = listener.BoundEndpoints[0];

        var clients = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Net.ConnectDirectAsync(bound, ct)));

        await Eventually.TrueAsync(() => accepted.Count == clients.Length);
        Assert.All(accepted, a => Assert.Equal(bound, a.Listener));
        foreach (var (socket, _) in accepted) socket.Dispose();
        foreach (var client in clients) client.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_closed_listener_refuses_at_once_and_accepts_again_when_reopened(bool onEpoll)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<Socket>();
        await using var listener = Open(onEpoll, (socket, _) => accepted.Enqueue(socket));
        var bound = listener.BoundEndpoints[0];
        using (await Net.ConnectDirectAsync(bound, ct))
        {
            await Eventually.TrueAsync(() => accepted.Count == 1);
        }

        listener.SetOpen(false);

        // Closed by the time SetOpen returns: the kernel answers the next SYN with RST.
        var refused = await Assert.ThrowsAsync<SocketException>(() => Net.ConnectDirectAsync(bound, ct));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        if (onEpoll) await Eventually.TrueAsync(() => _transport.Live == 0); // the acceptor released the listener

        // The same port is free to bind again (SO_REUSEADDR), and accepting resumes.
        await using (Open(onEpoll, (socket, _) => accepted.Enqueue(socket), at: bound))
        {
            using (await Net.ConnectDirectAsync(bound, ct))
            {
                await Eventually.TrueAsync(() => accepted.Count == 2);
            }
        }
        while (accepted.TryDequeue(out var socket)) socket.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_listener_paused_at_the_connection_limit_still_closes_at_once(bool onEpoll)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var live = new LiveConnections(limit: 1);
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<Socket>();
        var listener = Open(onEpoll, (socket, _) =>
        {
            live.Accepted(); // held by its actor from here on, as the identity actor counts it
            accepted.Enqueue(socket);
        }, live: live);
        var bound = listener.BoundEndpoints[0];
        using var first = await Net.ConnectDirectAsync(bound, ct);
        await Eventually.TrueAsync(() => accepted.Count == 1);
        using var waiting = await Net.ConnectDirectAsync(bound, ct); // queued: the limit is reached
        await Eventually.TrueAsync(() => !live.HasRoom);

        await listener.DisposeAsync().AsTask().WaitAsync(ct); // the paused accept loop ends with it

        Assert.Single(accepted);
        var refused = await Assert.ThrowsAsync<SocketException>(() => Net.ConnectDirectAsync(bound, ct));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        while (accepted.TryDequeue(out var socket)) socket.Dispose();
    }

    public void Dispose() => _transport.Dispose();
}
