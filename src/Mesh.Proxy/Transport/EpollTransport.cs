using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Observability;
using static Mesh.Proxy.Transport.EpollNative;

namespace Mesh.Proxy.Transport;

/// <summary>
/// Forwards a decided TCP flow on Mesh's own epoll loops instead of .NET's asynchronous sockets: the upstream connect,
/// the replay of the sniffed bytes and both pumps. Measured on the tcp-rule new-connection load (docs/benchmarks.md,
/// issue 11), .NET's socket layer alone cost 1.3-1.5× HAProxy's CPU per connection (its engine, an event-args object
/// per socket and direction, the async machinery); the same forwarder on a loop of its own cost about HAProxy's. In
/// Mesh it cut a stream's CPU per byte by about 40% and an idle TCP connection's memory by half; new connections per
/// second did not change (their cost is Mesh's path across threads, not the socket layer).
/// Only a client socket .NET never waited on may come here (its descriptor is not on .NET's epoll): one whose first
/// bytes were read while queued, or that was not sniffed. Linux x86-64 (<see cref="EpollNative.Supported"/>).
/// </summary>
internal sealed class EpollTransport : IDisposable
{
    private readonly EpollLoop[] _loops;
    private readonly LatencyHistogram? _connectLatency;
    private int _next;

    public EpollTransport(int loops, LatencyHistogram? connectLatency = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(loops, 1);
        _loops = new EpollLoop[loops];
        for (var i = 0; i < loops; i++) _loops[i] = new EpollLoop($"mesh-epoll-{i}");
        _connectLatency = connectLatency;
    }

    /// <summary>Entries started and not yet ended, on all loops: flows, first-byte waits and listeners.</summary>
    public int Live => _loops.Sum(l => l.Live);

    /// <summary>Entries started and not yet ended, per loop (in order): flows are dealt to the loops in turn.</summary>
    public IReadOnlyList<int> LiveByLoop => [.. _loops.Select(l => l.Live)];

    /// <summary>
    /// Starts forwarding: opens the upstream and starts its connect, queues <paramref name="first"/> to be sent once it
    /// is there, and hands both to a loop, which moves bytes both ways until both directions have ended (await
    /// <see cref="RunAsync"/>). The client's socket stays the caller's, to be closed after the flow ends. Null when the
    /// connect failed at once (no route, no descriptor): the destination is unreachable.
    /// </summary>
    public EpollFlow? Start(Socket client, IPEndPoint destination, ReadOnlySequence<byte> first, ByteCounters counters,
        int maxBuffer, TimeSpan connectTimeout)
    {
        var upstream = OpenUpstream(destination, out _);
        if (upstream < 0) return null;
        var loop = NextLoop();
        var flow = new EpollFlow(loop, client.SafeHandle, upstream, counters, maxBuffer,
            Environment.TickCount64 + (long)connectTimeout.TotalMilliseconds, _connectLatency);
        if (!first.IsEmpty) flow.Up.Load(first);
        loop.Start(flow);
        return flow;
    }

    /// <summary>
    /// Waits for <paramref name="flow"/> to end. Cancellation aborts it (closes the upstream); an aborted flow, by the
    /// token or by <see cref="EpollFlow.Abort"/>, throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<EpollFlowEnd> RunAsync(EpollFlow flow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flow);
        EpollFlowEnd end;
        using (cancellationToken.UnsafeRegister(static state => ((EpollFlow)state!).Abort(reset: false), flow))
        {
            end = await flow.End.ConfigureAwait(false);
        }
        if (end == EpollFlowEnd.Aborted) throw new OperationCanceledException(cancellationToken);
        return end;
    }

    /// <summary>
    /// Waits until <paramref name="client"/> has bytes to read or has ended: true then; false when
    /// <paramref name="timeout"/> passed first (<see cref="Timeout.InfiniteTimeSpan"/>: none). Nothing is read.
    /// </summary>
    public async Task<bool> WaitReadableAsync(Socket client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        cancellationToken.ThrowIfCancellationRequested();
        var loop = NextLoop();
        var wait = new EpollReadWait(loop, client.SafeHandle);
        loop.Start(wait);
        using var deadline = timeout == Timeout.InfiniteTimeSpan ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline?.CancelAfter(timeout);
        bool readable;
        using (var registration = (deadline?.Token ?? cancellationToken).UnsafeRegister(static state => ((EpollEntry)state!).Loop.Abort((EpollEntry)state), wait))
        {
            readable = await wait.Readable.ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return readable;
    }

    /// <summary>
    /// Registers a client whose bytes asynchronous code reads and writes (an inspected HTTP connection), on the next
    /// loop; its upstreams go on the same loop (<see cref="EpollSocket.Loop"/>). The socket stays the caller's, to be
    /// closed once <see cref="EpollSocket.HandedBack"/>.
    /// </summary>
    public EpollSocket Register(Socket client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var loop = NextLoop();
        var socket = new EpollSocket(loop, client.SafeHandle, connecting: false);
        loop.Start(socket);
        return socket;
    }

    /// <summary>
    /// Accepts from <paramref name="listener"/> (in blocking mode) on the first loop and hands each accepted socket to
    /// <paramref name="target"/> on that loop's thread. Abort the returned entry (<see cref="StopListening"/>) before
    /// disposing the listener.
    /// </summary>
    public EpollAcceptor Listen(Socket listener, IAcceptTarget target)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var acceptor = new EpollAcceptor(_loops[0], listener, target);
        _loops[0].Start(acceptor);
        return acceptor;
    }

    /// <summary>Stops accepting: the listener's handle is released on the loop, after which disposing it closes it.</summary>
    public static void StopListening(EpollAcceptor acceptor)
    {
        ArgumentNullException.ThrowIfNull(acceptor);
        acceptor.Loop.Abort(acceptor);
    }

    private EpollLoop NextLoop() =>
        _loops.Length == 1 ? _loops[0] : _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];

    /// <summary>
    /// A non-blocking socket with its connect started; -1 when it failed at once (no route, no descriptor), with the
    /// error in <paramref name="errno"/>.
    /// </summary>
    internal static unsafe int OpenUpstream(IPEndPoint destination, out int errno)
    {
        errno = 0;
        var family = destination.AddressFamily == AddressFamily.InterNetworkV6 ? 10 : 2;
        var fd = socket(family, SockStream | SockNonblock | SockCloexec, 0);
        if (fd < 0)
        {
            errno = Errno;
            return -1;
        }
        var one = 1;
        setsockopt(fd, IpProtoTcp, TcpNodelay, &one, sizeof(int));
        var address = stackalloc byte[28]; // struct sockaddr_in6, the larger of the two
        var length = SocketAddressOf(destination, new Span<byte>(address, 28));
        if (connect(fd, address, length) < 0 && (errno = Errno) != Einprogress)
        {
            close(fd);
            return -1;
        }
        errno = 0;
        return fd;
    }

    /// <summary>Writes <c>struct sockaddr_in</c> or <c>sockaddr_in6</c> for <paramref name="endpoint"/>; returns its length.</summary>
    internal static int SocketAddressOf(IPEndPoint endpoint, Span<byte> address)
    {
        address.Clear();
        var v6 = endpoint.AddressFamily == AddressFamily.InterNetworkV6;
        BitConverter.TryWriteBytes(address, (ushort)(v6 ? 10 : 2)); // sa_family, host order
        address[2] = (byte)(endpoint.Port >> 8);
        address[3] = (byte)endpoint.Port;
        if (!v6)
        {
            endpoint.Address.TryWriteBytes(address.Slice(4, 4), out _);
            return 16;
        }
        endpoint.Address.TryWriteBytes(address.Slice(8, 16), out _);
        BitConverter.TryWriteBytes(address[24..], (uint)endpoint.Address.ScopeId);
        return 28;
    }

    public void Dispose()
    {
        foreach (var loop in _loops) loop.Dispose();
    }
}
