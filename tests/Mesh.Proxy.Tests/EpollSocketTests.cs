using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Proxy.Http;
using Mesh.Proxy.Tests.Support;
using Mesh.Proxy.Transport;

namespace Mesh.Proxy.Tests;

/// <summary>
/// <see cref="EpollSocket"/> (an inspected HTTP connection's descriptor on an epoll loop, read and written by async
/// code) on real loopback sockets: the readiness bookkeeping that lets a read wait without a failed <c>recv</c> first,
/// ends and errors that come with no further edge, cancellation, resets, and upstream connects on the loop. Through the
/// whole node, every HTTP-inspection test runs on it too (<c>*OnEpollTests</c>).
/// </summary>
public sealed class EpollSocketTests : IDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(useZeroByteReads: true);
    private readonly EpollTransport _transport = new(loops: 1);
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public EpollSocketTests()
    {
        Assert.True(EpollNative.Supported, "the epoll transport runs on Linux x86-64, where these tests run");
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
    }

    [Fact]
    public async Task The_last_bytes_and_the_end_reported_in_one_edge_are_both_read_the_bytes_then_the_end()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (application, client) = await PairAsync(ct);
        using (application)
        using (client)
        {
            // Both are queued before the registration: its one edge reports them together, and the short read that
            // takes the bytes must not make the next read wait for an edge that will never come.
            await Net.SendAsync(application, "last", ct);
            application.Shutdown(SocketShutdown.Send);
            var stream = new EpollSocketStream(_transport.Register(client));

            var buffer = new byte[64];
            Assert.Equal("last", Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer, ct)));
            Assert.Equal(0, await stream.ReadAsync(buffer, ct));
            await ReleaseAsync(stream.Socket);
        }
    }

    [Fact]
    public async Task A_read_after_a_short_one_waits_for_the_next_bytes_and_the_end_that_comes_later_is_read_too()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (application, client) = await PairAsync(ct);
        using (application)
        using (client)
        {
            var stream = new EpollSocketStream(_transport.Register(client));
            var buffer = new byte[64];

            var first = stream.ReadAsync(buffer, ct).AsTask();
            await Net.SendAsync(application, "one", ct);
            Assert.Equal("one", Encoding.ASCII.GetString(buffer, 0, await first.WaitAsync(ct)));

            var second = stream.ReadAsync(buffer, ct).AsTask();
            Assert.False(second.IsCompleted, "the queue was emptied by a short read: the next read waits for an edge");
            await Net.SendAsync(application, "two", ct);
            Assert.Equal("two", Encoding.ASCII.GetString(buffer, 0, await second.WaitAsync(ct)));

            var end = stream.ReadAsync(buffer, ct).AsTask();
            application.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await end.WaitAsync(ct));
            await ReleaseAsync(stream.Socket);
        }
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_the_socket_stays_usable()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (application, client) = await PairAsync(ct);
        using (application)
        using (client)
        {
            var stream = new EpollSocketStream(_transport.Register(client));
            var buffer = new byte[64];
            using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                var waiting = stream.ReadAsync(buffer, cancel.Token).AsTask();
                await cancel.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(ct));
            }

            await Net.SendAsync(application, "after", ct);
            Assert.Equal("after", Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer, ct)));
            await ReleaseAsync(stream.Socket);
        }
    }

    [Fact]
    public async Task A_send_larger_than_the_socket_buffers_waits_for_room_and_completes_as_the_peer_reads()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (application, client) = await PairAsync(ct);
        using (application)
        using (client)
        {
            var stream = new EpollSocketStream(_transport.Register(client));
            var data = new byte[16 * 1024 * 1024];
            Random.Shared.NextBytes(data);

            var sending = stream.WriteAsync(data, ct).AsTask();
            Assert.False(sending.IsCompleted, "16 MiB cannot fit a loopback socket's queues: the send waits for room");
            var received = await Net.ReceiveExactAsync(application, data.Length, ct);
            await sending.WaitAsync(ct);
            Assert.True(received.AsSpan().SequenceEqual(data), "the bytes arrive whole and in order");
            await ReleaseAsync(stream.Socket);
        }
    }

    [Fact]
    public async Task A_reset_fails_the_pending_wait_and_the_peer_sees_a_reset_once_the_owner_closes_the_socket()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (application, client) = await PairAsync(ct);
        using (application)
        {
            var socket = _transport.Register(client);
            var stream = new EpollSocketStream(socket);
            var waiting = stream.ReadAsync(new byte[64], ct).AsTask();

            socket.LingerZero();
            socket.Loop.Abort(socket);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(ct));
            await socket.HandedBack.WaitAsync(ct);
            client.Dispose();

            Assert.Equal(Net.Ending.Reset, await Net.ExpectEndAsync(application, ct));
        }
    }

    [Fact]
    public async Task An_upstream_connect_on_the_loop_is_refused_by_a_closed_port_and_carries_bytes_to_an_open_one()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var (application, client) = await PairAsync(ct);
        using (application)
        using (client)
        {
            var registered = _transport.Register(client); // for its loop; let go before the client's socket closes
            var loop = registered.Loop;
            var closed = new IPEndPoint(IPAddress.Loopback, Net.FreeLoopbackPort());
            var refused = await Assert.ThrowsAsync<SocketException>(() => EpollPeer.ConnectAsync(loop, closed, TimeSpan.FromSeconds(5), ReaderOptions, ct).WaitAsync(ct));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

            var accepting = _listener.AcceptAsync(ct);
            var upstream = await EpollPeer.ConnectAsync(loop, (IPEndPoint)_listener.LocalEndPoint!, TimeSpan.FromSeconds(5), ReaderOptions, ct).WaitAsync(ct);
            using var origin = await accepting;
            await upstream.SendAsync(Net.Ascii("request"), ct);
            Assert.Equal("request", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(origin, 7, ct)));
            await Net.SendAsync(origin, "response", ct);
            var read = await upstream.Reader.ReadAtLeastAsync(8, ct);
            Assert.Equal("response", Encoding.ASCII.GetString(read.Buffer));
            upstream.Reader.AdvanceTo(read.Buffer.End);

            await upstream.DisposeAsync().AsTask().WaitAsync(ct); // the loop lets go, then the descriptor closes: the origin sees the end
            Assert.Equal(Net.Ending.Closed, await Net.ExpectEndAsync(origin, ct));
            await ReleaseAsync(registered);
        }
    }

    [Fact]
    public async Task A_socket_let_go_after_its_loop_has_stopped_is_still_handed_back()
    {
        using var cts = Net.Deadline(TimeSpan.FromSeconds(20));
        var ct = cts.Token;
        var (application, client) = await PairAsync(ct);
        using (application)
        using (client)
        {
            var transport = new EpollTransport(loops: 1);
            var socket = transport.Register(client);
            await Task.Run(transport.Dispose, ct); // the loop waits (5 s) for its entries, then stops with this one left

            socket.Loop.Abort(socket);
            await socket.HandedBack.WaitAsync(ct);
            Assert.Equal(0, transport.Live);
        }
    }

    private static async Task ReleaseAsync(EpollSocket socket)
    {
        socket.Loop.Abort(socket);
        await socket.HandedBack;
    }

    private async Task<(Socket Application, Socket Client)> PairAsync(CancellationToken ct)
    {
        var accepting = _listener.AcceptAsync(ct);
        var application = await Net.ConnectDirectAsync((IPEndPoint)_listener.LocalEndPoint!, ct);
        return (application, await accepting);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _transport.Dispose();
    }
}
