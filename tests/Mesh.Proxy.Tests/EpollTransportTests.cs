using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Tests.Support;
using Mesh.Proxy.Transport;

namespace Mesh.Proxy.Tests;

/// <summary>
/// The epoll transport by itself, on real loopback sockets: an application connects to a listener, the accepted
/// socket is the client handed to the transport (as a connection actor hands it), and a <see cref="TcpOrigin"/> is
/// the upstream. Through the whole node, every tcp-rule test runs on it too (it is the default).
/// </summary>
public sealed class EpollTransportTests : IDisposable
{
    private readonly EpollTransport _transport = new(loops: 1);
    private readonly LoopbackListener _listener = new();

    public EpollTransportTests()
    {
        Assert.True(EpollNative.Supported, "the epoll transport runs on Linux x86-64, where these tests run");
    }

    [Fact]
    public async Task It_sends_the_first_bytes_then_carries_both_ways_passes_the_first_half_close_on_and_ends_at_the_second()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var originSaw = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = TcpOrigin.With(async (socket, c) =>
        {
            var all = Encoding.ASCII.GetString(await Net.ReceiveToEndAsync(socket, c)); // until the client's half-close
            originSaw.TrySetResult(all);
            await Net.SendAsync(socket, $"got {all.Length}", c);
            socket.Shutdown(SocketShutdown.Send);
        });
        var (application, client) = await _listener.PairAsync(ct);
        using (application)
        using (client)
        {
            var counters = new ByteCounters();
            var flow = _transport.Start(client, origin.Endpoint, new ReadOnlySequence<byte>(Net.Ascii("sniffed|")), counters, 256 * 1024, TimeSpan.FromSeconds(5));
            Assert.NotNull(flow);
            var run = EpollTransport.RunAsync(flow, ct);

            await Net.SendAsync(application, "then more", ct);
            application.Shutdown(SocketShutdown.Send);

            Assert.Equal("sniffed|then more", await originSaw.Task.WaitAsync(ct));
            var reply = Net.ReceiveToEndAsync(application, ct);
            // The origin's FIN ended the flow: the client's socket is the caller's again, and its close passes that FIN on.
            Assert.Equal(EpollFlowEnd.Closed, await run.WaitAsync(ct));
            client.Dispose();
            Assert.Equal("got 17", Encoding.ASCII.GetString(await reply));
            Assert.Equal(17, counters.Up);
            Assert.Equal(6, counters.Down);
        }
        await Eventually.TrueAsync(() => _transport.Live == 0);
    }

    [Fact]
    public async Task A_megabytes_long_exchange_arrives_intact_with_buffers_growing_past_the_first()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Echo();
        var (application, client) = await _listener.PairAsync(ct);
        using (application)
        using (client)
        {
            var counters = new ByteCounters();
            var run = EpollTransport.RunAsync(_transport.Start(client, origin.Endpoint, default, counters, 64 * 1024, TimeSpan.FromSeconds(5))!, ct);
            var payload = new byte[5 * 1024 * 1024 + 17];
            new Random(7).NextBytes(payload);
            var echoed = Net.ReceiveToEndAsync(application, ct);
            await Net.SendAsync(application, payload, ct);
            application.Shutdown(SocketShutdown.Send);

            Assert.Equal(EpollFlowEnd.Closed, await run.WaitAsync(ct));
            client.Dispose(); // the caller's close passes the origin's FIN on
            Assert.Equal(payload, await echoed);
            Assert.Equal(payload.Length, counters.Up);
            Assert.Equal(payload.Length, counters.Down);
        }
    }

    [Fact]
    public async Task Flows_dealt_to_two_loops_each_carry_their_own_bytes_and_end_on_their_own_loop()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        using var transport = new EpollTransport(loops: 2);
        await using var origin = TcpOrigin.Echo();
        var flows = new List<(Socket Application, Socket Client, Task<EpollFlowEnd> Run)>();
        for (var i = 0; i < 4; i++)
        {
            var (application, client) = await _listener.PairAsync(ct);
            var flow = transport.Start(client, origin.Endpoint, new ReadOnlySequence<byte>(Net.Ascii($"flow {i}|")), new ByteCounters(), 4096, TimeSpan.FromSeconds(5));
            flows.Add((application, client, EpollTransport.RunAsync(flow!, ct)));
        }
        Assert.Equal([2, 2], transport.LiveByLoop); // all four open at once, two on each loop

        for (var i = 0; i < flows.Count; i++)
        {
            var (application, client, run) = flows[i];
            using (application)
            using (client)
            {
                var echoed = Net.ReceiveToEndAsync(application, ct);
                await Net.SendAsync(application, $"more {i}", ct);
                application.Shutdown(SocketShutdown.Send);
                Assert.Equal(EpollFlowEnd.Closed, await run.WaitAsync(ct));
                client.Dispose();
                Assert.Equal($"flow {i}|more {i}", Encoding.ASCII.GetString(await echoed));
            }
        }
        await Eventually.TrueAsync(() => transport.Live == 0);
    }

    [Fact]
    public async Task A_destination_where_nothing_listens_is_unreachable()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var closed = new IPEndPoint(IPAddress.Loopback, Net.FreeLoopbackPort());
        var (application, client) = await _listener.PairAsync(ct);
        using (application)
        using (client)
        {
            // Refused at once by the connect call, or by the RST it gets back: either way, unreachable.
            var flow = _transport.Start(client, closed, default, new ByteCounters(), 4096, TimeSpan.FromSeconds(5));
            if (flow is not null) Assert.Equal(EpollFlowEnd.Unreachable, await EpollTransport.RunAsync(flow, ct));
        }
        await Eventually.TrueAsync(() => _transport.Live == 0);
    }

    [Fact]
    public async Task A_connect_that_never_completes_is_unreachable_at_the_connect_deadline()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        // A listener that never accepts, its queue full: Linux drops further SYNs, so a connect hangs (retrying).
        using var stuck = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        stuck.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        stuck.Listen(0);
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try
                {
                    filler.Connect(stuck.LocalEndPoint!);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                {
                    // in progress, or stuck: either fills the queue
                }
                fillers.Add(filler);
            }
            var (application, client) = await _listener.PairAsync(ct);
            using (application)
            using (client)
            {
                var flow = _transport.Start(client, (IPEndPoint)stuck.LocalEndPoint!, default, new ByteCounters(), 4096, TimeSpan.FromMilliseconds(300));
                Assert.NotNull(flow);
                Assert.Equal(EpollFlowEnd.Unreachable, await EpollTransport.RunAsync(flow, ct));
            }
        }
        finally
        {
            foreach (var filler in fillers) filler.Dispose();
        }
    }

    [Fact]
    public async Task Cancellation_aborts_the_flow_and_closes_its_upstream()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var upstreamEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = OriginUntilEnd(upstreamEnded, greeting: "hello");
        var (application, client) = await _listener.PairAsync(ct);
        using (application)
        using (client)
        {
            using var abort = new CancellationTokenSource();
            var run = EpollTransport.RunAsync(_transport.Start(client, origin.Endpoint, default, new ByteCounters(), 4096, TimeSpan.FromSeconds(5))!, abort.Token);
            Assert.Equal("hello", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(application, 5, ct))); // forwarding

            await abort.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(ct));
            await upstreamEnded.Task.WaitAsync(ct);
        }
        await Eventually.TrueAsync(() => _transport.Live == 0);
    }

    [Fact]
    public async Task An_abort_with_reset_makes_the_clients_close_a_reset()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = TcpOrigin.Echo();
        var (application, client) = await _listener.PairAsync(ct);
        using (application)
        {
            var flow = _transport.Start(client, origin.Endpoint, default, new ByteCounters(), 4096, TimeSpan.FromSeconds(5))!;
            var run = EpollTransport.RunAsync(flow, ct);
            await Net.SendAsync(application, "ping", ct);
            Assert.Equal("ping", Encoding.ASCII.GetString(await Net.ReceiveExactAsync(application, 4, ct)));

            flow.Abort(reset: true);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(ct));
            client.Dispose(); // as the flow task does once the flow has ended

            Assert.Equal(Net.Ending.Reset, await Net.ExpectEndAsync(application, ct));
        }
    }

    [Fact]
    public async Task A_client_that_resets_tears_down_the_upstream_too()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        var upstreamEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var origin = OriginUntilEnd(upstreamEnded);
        var (application, client) = await _listener.PairAsync(ct);
        using (client)
        {
            var run = EpollTransport.RunAsync(_transport.Start(client, origin.Endpoint, default, new ByteCounters(), 4096, TimeSpan.FromSeconds(5))!, ct);
            await Eventually.TrueAsync(() => origin.Accepted == 1);

            application.LingerState = new LingerOption(true, 0);
            application.Dispose(); // RST

            Assert.Equal(EpollFlowEnd.Closed, await run.WaitAsync(ct));
            await upstreamEnded.Task.WaitAsync(ct);
        }
        await Eventually.TrueAsync(() => _transport.Live == 0);
    }

    /// <summary>An origin that sends <paramref name="greeting"/>, then reads until its connection ends (closed or reset).</summary>
    private static TcpOrigin OriginUntilEnd(TaskCompletionSource ended, string? greeting = null) => TcpOrigin.With(async (socket, c) =>
    {
        if (greeting is not null) await Net.SendAsync(socket, greeting, c);
        try
        {
            await Net.ReceiveToEndAsync(socket, c);
        }
        catch (SocketException)
        {
            // reset: ended as well
        }
        ended.TrySetResult();
    });

    /// <summary>An application's socket and the accepted socket the transport gets as its client.</summary>
    public void Dispose()
    {
        _listener.Dispose();
        _transport.Dispose();
    }
}
