using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Proxy.Http;
using Mesh.Proxy.Tests.Support;
using Mesh.Proxy.Transport;

namespace Mesh.Proxy.Tests;

/// <summary>
/// <see cref="EpollSocket"/> (an inspected HTTP connection's descriptor on an epoll loop, read through an
/// <see cref="EpollSocketReader"/> and written by async code) on real loopback sockets: the readiness bookkeeping that
/// lets a read wait without a failed <c>recv</c> first, ends and errors that come with no further edge, the reader's
/// one growing array, cancellation, resets, and upstream connects on the loop. Through the
/// whole node, every HTTP-inspection test runs on it too (<c>*OnEpollTests</c>).
/// </summary>
public sealed class EpollSocketTests : IDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(useZeroByteReads: true);
    private readonly EpollTransport _transport = new(loops: 1);
    private readonly LoopbackListener _listener = new();

    public EpollSocketTests()
    {
        Assert.True(EpollNative.Supported, "the epoll transport runs on Linux x86-64, where these tests run");
    }

    [Fact]
    public async Task The_last_bytes_and_the_end_reported_in_one_edge_are_both_read_the_bytes_then_the_end()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var connection = await ConnectAsync(ct, async application =>
        {
            // Both are queued before the registration: its one edge reports them together, and the short read that
            // takes the bytes must not make the next read wait for an edge that will never come.
            await Net.SendAsync(application, "last", ct);
            application.Shutdown(SocketShutdown.Send);
        });
        var socket = connection.Socket;
        var reader = new EpollSocketReader(socket, 4096, 1024);

        Assert.Equal(("last", false), await ReadAsync(reader, ct));
        Assert.Equal(("", true), await ReadAsync(reader, ct));
    }

    [Fact]
    public async Task A_read_after_a_short_one_waits_for_the_next_bytes_and_the_end_that_comes_later_is_read_too()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var connection = await ConnectAsync(ct);
        var (application, socket) = (connection.Application, connection.Socket);
        var reader = new EpollSocketReader(socket, 4096, 1024);

        var first = ReadAsync(reader, ct);
        await Net.SendAsync(application, "one", ct);
        Assert.Equal(("one", false), await first.WaitAsync(ct));

        var second = ReadAsync(reader, ct);
        Assert.False(second.IsCompleted, "the queue was emptied by a short read: the next read waits for an edge");
        await Net.SendAsync(application, "two", ct);
        Assert.Equal(("two", false), await second.WaitAsync(ct));

        var end = ReadAsync(reader, ct);
        application.Shutdown(SocketShutdown.Send);
        Assert.Equal(("", true), await end.WaitAsync(ct));
    }

    [Fact]
    public async Task Bytes_examined_but_not_consumed_are_joined_by_later_ones_in_one_segment_from_the_first_bytes_on()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var connection = await ConnectAsync(ct);
        var (application, socket) = (connection.Application, connection.Socket);
        // A small array, so that the bytes outgrow it: they move into a larger one and stay one segment.
        var reader = new EpollSocketReader(socket, bufferSize: 16, minimumRead: 8, "GET "u8);
        const string Head = "GET /a/path/longer/than/sixteen HTTP/1.1\r\n\r\n";

        var first = await reader.ReadAsync(ct);
        Assert.Equal("GET ", Encoding.ASCII.GetString(first.Buffer));
        reader.AdvanceTo(first.Buffer.Start, first.Buffer.End); // examined, nothing consumed: the next read waits for more
        await Net.SendAsync(application, Head[4..], ct);
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync(ct);
            Assert.True(result.Buffer.IsSingleSegment);
            if (result.Buffer.Length == Head.Length) break;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
        Assert.Equal(Head, Encoding.ASCII.GetString(result.Buffer));

        reader.AdvanceTo(result.Buffer.GetPosition(4)); // consumed "GET ", not examined further: the rest comes back at once
        Assert.True(reader.TryRead(out var rest));
        Assert.Equal(Head[4..], Encoding.ASCII.GetString(rest.Buffer));
        reader.AdvanceTo(rest.Buffer.End);
        Assert.False(reader.TryRead(out _), "everything was consumed");
        reader.Complete();
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_the_socket_stays_usable()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var connection = await ConnectAsync(ct);
        var (application, socket) = (connection.Application, connection.Socket);
        var reader = new EpollSocketReader(socket, 4096, 1024);
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var waiting = reader.ReadAsync(cancel.Token).AsTask();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(ct));
        }
        var interrupted = reader.ReadAsync(ct).AsTask();
        reader.CancelPendingRead();
        Assert.True((await interrupted.WaitAsync(ct)).IsCanceled, "CancelPendingRead ends the pending read as cancelled");

        await Net.SendAsync(application, "after", ct);
        Assert.Equal(("after", false), await ReadAsync(reader, ct));
    }

    [Fact]
    public async Task A_send_larger_than_the_socket_buffers_waits_for_room_and_completes_as_the_peer_reads()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var connection = await ConnectAsync(ct);
        var (application, socket) = (connection.Application, connection.Socket);
        var data = new byte[16 * 1024 * 1024];
        Random.Shared.NextBytes(data);

        var sending = socket.SendAsync(data, ct).AsTask();
        Assert.False(sending.IsCompleted, "16 MiB cannot fit a loopback socket's queues: the send waits for room");
        var received = await Net.ReceiveExactAsync(application, data.Length, ct);
        await sending.WaitAsync(ct);
        Assert.True(received.AsSpan().SequenceEqual(data), "the bytes arrive whole and in order");
    }

    [Fact]
    public async Task A_reset_fails_the_pending_wait_refuses_later_sends_and_the_peer_sees_a_reset_once_the_owner_closes_the_socket()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var connection = await ConnectAsync(ct);
        var (application, socket) = (connection.Application, connection.Socket);
        var waiting = new EpollSocketReader(socket, 4096, 1024).ReadAsync(ct).AsTask();

        socket.Reset();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(ct));
        Assert.ThrowsAny<OperationCanceledException>(() => socket.Send(Net.Ascii("late"))); // nothing goes out after a reset
        await socket.HandedBack.WaitAsync(ct);
        connection.Client.Dispose();

        Assert.Equal(Net.Ending.Reset, await Net.ExpectEndAsync(application, ct));
    }

    [Fact]
    public async Task An_upstream_connect_on_the_loop_is_refused_by_a_closed_port_and_carries_bytes_to_an_open_one()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var connection = await ConnectAsync(ct);
        var loop = connection.Socket.Loop;
        var closed = new IPEndPoint(IPAddress.Loopback, Net.FreeLoopbackPort());
        var refused = await Assert.ThrowsAsync<SocketException>(() => EpollPeer.ConnectAsync(loop, closed, TimeSpan.FromSeconds(5), ReaderOptions, ct).WaitAsync(ct));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        var accepting = _listener.AcceptAsync(ct);
        var upstream = await EpollPeer.ConnectAsync(loop, _listener.Endpoint, TimeSpan.FromSeconds(5), ReaderOptions, ct).WaitAsync(ct);
        using var origin = await accepting;
        await upstream.SendAsync(Net.Ascii("request"), ct);
        Assert.Equal("request", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(origin, 7, ct)));
        await Net.SendAsync(origin, "response", ct);
        var read = await upstream.Reader.ReadAtLeastAsync(8, ct);
        Assert.Equal("response", Encoding.ASCII.GetString(read.Buffer));
        upstream.Reader.AdvanceTo(read.Buffer.End);

        await upstream.DisposeAsync().AsTask().WaitAsync(ct); // the loop lets go, then the descriptor closes: the origin sees the end
        Assert.Equal(Net.Ending.Closed, await Net.ExpectEndAsync(origin, ct));
    }

    [Fact]
    public async Task A_socket_let_go_after_its_loop_has_stopped_is_still_handed_back()
    {
        using var cts = Net.Deadline(TimeSpan.FromSeconds(20));
        var ct = cts.Token;
        var (application, client) = await _listener.PairAsync(ct);
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

    /// <summary>One read: what it yielded (all consumed) and whether the peer's end came with it.</summary>
    private static async Task<(string Text, bool Ended)> ReadAsync(EpollSocketReader reader, CancellationToken ct)
    {
        var result = await reader.ReadAsync(ct);
        var text = Encoding.ASCII.GetString(result.Buffer);
        reader.AdvanceTo(result.Buffer.End);
        return (text, result.IsCompleted);
    }

    /// <summary>
    /// A new connection whose accepted end is registered with the transport (after <paramref name="first"/>, if given, ran
    /// on the application's end). Disposing it lets go of the registration, waits for that, and only then closes the
    /// sockets: a socket whose handle the loop holds cannot close (.NET spins until it can), so an assertion that
    /// failed on the loop's own thread, where continuations of its waits run, would otherwise hang the test.
    /// </summary>
    private async Task<Connection> ConnectAsync(CancellationToken ct, Func<Socket, Task>? first = null)
    {
        var (application, client) = await _listener.PairAsync(ct);
        if (first is not null) await first(application);
        return new Connection(application, client, _transport.Register(client));
    }

    private sealed class Connection(Socket application, Socket client, EpollSocket socket) : IAsyncDisposable
    {
        public Socket Application { get; } = application;

        public Socket Client { get; } = client;

        public EpollSocket Socket { get; } = socket;

        public async ValueTask DisposeAsync()
        {
            Socket.Loop.Abort(Socket);
            await Socket.HandedBack.WaitAsync(TimeSpan.FromSeconds(10));
            Client.Dispose();
            Application.Dispose();
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _transport.Dispose();
    }
}
