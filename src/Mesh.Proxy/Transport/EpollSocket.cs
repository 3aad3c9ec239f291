using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using static Mesh.Proxy.Transport.EpollNative;

namespace Mesh.Proxy.Transport;

/// <summary>
/// A connected descriptor on an <see cref="EpollLoop"/> that asynchronous code reads and writes (the HTTP inspector),
/// the loop reporting only its readiness. Registered once, edge-triggered for both directions; each edge bumps that
/// direction's sequence number. A read that came back short, or a send that would block, remembers the number it saw
/// when it began, and the next attempt first waits for a newer one: a read that has to wait costs one event and one
/// <c>recv</c>. .NET's sockets try the <c>recv</c> first and wait after its <c>EAGAIN</c>: on kept-alive HTTP that was
/// two of the six system calls of each request (four <c>recvfrom</c> against HAProxy's two, `perf stat` 2026-12-04).
/// Continuations of the waits run on the loop's thread, as the flows' steps do; a cancelled wait fails on the pool.
/// Every system call holds a reference on the handle, so a descriptor closed meanwhile fails the call rather than
/// reaching a number reused since.
/// </summary>
internal sealed class EpollSocket : EpollEntry
{
    private const uint ReadEdges = EpollIn | EpollRdHup | EpollHup | EpollErr;
    private const uint WriteEdges = EpollOut | EpollHup | EpollErr;

    private readonly SafeHandle _handle;
    private readonly Lock _gate = new();
    private readonly Direction _read = new() { Sequence = 1 };
    private readonly Direction _write;
    private readonly TaskCompletionSource _handedBack = new();
    private Exception? _ended;
    private volatile bool _reset;

    /// <summary>
    /// Wraps a descriptor to be registered with <see cref="EpollLoop.Start(EpollSocket)"/>. <paramref name="connecting"/>:
    /// its connect is in progress, so sends wait for the first writable edge (the connect's end).
    /// </summary>
    public EpollSocket(EpollLoop loop, SafeHandle handle, bool connecting)
        : base(loop, handle)
    {
        _handle = handle;
        _write = new Direction { Sequence = 1, BlockedAt = connecting ? 1 : 0 };
    }

    /// <summary>Completes once the loop has let go of the descriptor (its registration and its reference): it may close.</summary>
    public Task HandedBack => _handedBack.Task;

    /// <summary>An edge, on the loop's thread: wakes the direction(s) it concerns.</summary>
    public override void OnEvent(bool second, uint events)
    {
        Waiter? reader = null, writer = null;
        lock (_gate)
        {
            if (_ended is not null) return;
            // The peer's end, or an error, stays readable with no edge to follow (it may come in the same edge as the
            // last bytes, which a short read takes): after it, attempts no longer wait. A hang-up or an error ends sends too.
            var broken = (events & (EpollHup | EpollErr)) != 0;
            if ((events & ReadEdges) != 0) reader = _read.Edge(final: broken || (events & EpollRdHup) != 0);
            if ((events & WriteEdges) != 0) writer = _write.Edge(final: broken);
        }
        reader?.Complete(null);
        writer?.Complete(null);
    }

    public override void Abandon()
    {
        lock (_gate) _ended ??= new IOException("the connection could not be registered on its event loop");
        base.Abandon();
        _handedBack.TrySetResult();
    }

    public override void EndAborted() => End(new OperationCanceledException("the connection was closed"));

    public override void EndFaulted() => End(new IOException("the connection's event loop failed"));

    /// <summary>
    /// Receives into <paramref name="buffer"/> without blocking: the count (0: the peer's end), or -1 when nothing is
    /// there (the next <see cref="WaitReadableAsync"/> then waits for a newer edge). Throws on an error.
    /// </summary>
    public unsafe int Receive(Span<byte> buffer)
    {
        ThrowIfReset();
        var seen = Volatile.Read(ref _read.Sequence);
        nint read;
        using (var descriptor = new Lease(_handle))
        {
            do
            {
                fixed (byte* data = buffer) read = recv(descriptor.Fd, data, buffer.Length, MsgDontwait);
            }
            while (read < 0 && Errno == Eintr);
        }
        if (read < 0)
        {
            var errno = Errno;
            if (errno != Eagain) throw Failure(errno);
            _read.BlockedAt = seen;
            return -1;
        }
        // A short read emptied the queue: with edge-triggered readiness, bytes that come later bring a newer edge.
        if (read < buffer.Length) _read.BlockedAt = seen;
        return (int)read;
    }

    /// <summary>Sends what it can without blocking: the count sent, 0 when the queue is full (wait, then send again).</summary>
    public unsafe int Send(ReadOnlySpan<byte> data)
    {
        ThrowIfReset();
        var seen = Volatile.Read(ref _write.Sequence);
        nint sent;
        using (var descriptor = new Lease(_handle))
        {
            do
            {
                fixed (byte* bytes = data) sent = send(descriptor.Fd, bytes, data.Length, MsgNosignal | MsgDontwait);
            }
            while (sent < 0 && Errno == Eintr);
        }
        if (sent >= 0) return (int)sent;
        var errno = Errno;
        if (errno != Eagain) throw Failure(errno);
        _write.BlockedAt = seen;
        return 0;
    }

    /// <summary>Sends all of <paramref name="data"/>: without awaiting when it fits the socket's queue.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = Send(data.Span);
            if (sent == 0) return SendAfterWaitAsync(data, cancellationToken);
            data = data[sent..];
        }
        return ValueTask.CompletedTask;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAfterWaitAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            await WaitWritableAsync(cancellationToken);
            data = data[Send(data.Span)..];
        }
    }

    /// <summary>Completes at once unless the last receive found the queue empty and no edge came since.</summary>
    public ValueTask WaitReadableAsync(CancellationToken cancellationToken) => Wait(_read, cancellationToken);

    /// <summary>Completes at once unless the last send found the queue full (or the connect is under way) and no edge came since.</summary>
    public ValueTask WaitWritableAsync(CancellationToken cancellationToken) => Wait(_write, cancellationToken);

    /// <summary>The pending error of the socket (<c>SO_ERROR</c>): 0 once a connect has succeeded.</summary>
    public unsafe int PendingError()
    {
        using var descriptor = new Lease(_handle);
        int error = 0, length = sizeof(int);
        return getsockopt(descriptor.Fd, SolSocket, SoError, &error, &length) < 0 ? Errno : error;
    }

    /// <summary>Shuts one or both directions (<c>SHUT_WR</c>, <c>SHUT_RDWR</c>); quietly when <paramref name="quiet"/>.</summary>
    public void Shutdown(int how, bool quiet)
    {
        try
        {
            using var descriptor = new Lease(_handle);
            if (shutdown(descriptor.Fd, how) < 0 && !quiet) throw SocketError(Errno);
        }
        catch (ObjectDisposedException) when (quiet)
        {
            // closed already
        }
    }

    /// <summary>
    /// Ends it with a reset, from any thread: linger 0 (its close then sends a reset), no byte read or sent from here
    /// on, and its registration ended through the loop, which fails every wait.
    /// </summary>
    public void Reset()
    {
        _reset = true;
        LingerZero();
        Loop.Abort(this);
    }

    private void ThrowIfReset()
    {
        if (_reset) throw new OperationCanceledException("the connection was reset");
    }

    /// <summary>Sets <c>SO_LINGER</c> to 0: the descriptor's close then sends a reset.</summary>
    private unsafe void LingerZero()
    {
        try
        {
            using var descriptor = new Lease(_handle);
            var linger = stackalloc int[2] { 1, 0 };
            setsockopt(descriptor.Fd, SolSocket, SoLinger, linger, 2 * sizeof(int));
        }
        catch (ObjectDisposedException)
        {
            // closed already
        }
    }

    /// <summary>Readable now without blocking (bytes, or the peer's end), by a one-byte peek: a kept-alive upstream's check.</summary>
    public unsafe bool PeekReadable()
    {
        try
        {
            using var descriptor = new Lease(_handle);
            byte one;
            var read = recv(descriptor.Fd, &one, 1, MsgDontwait | MsgPeek);
            return read >= 0 || Errno != Eagain;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    private ValueTask Wait(Direction direction, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_ended is { } ended) return ValueTask.FromException(ended);
            if (direction.Final || direction.Sequence != direction.BlockedAt) return ValueTask.CompletedTask;
            if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
            waiter = direction.Arm(this);
            // Inside the lock, so that an edge completing the waiter finds its registration to dispose. A token that
            // is cancelled already runs the callback here, which only queues the cancellation to the pool.
            if (cancellationToken.CanBeCanceled) waiter.CancelWith(cancellationToken);
        }
        return waiter.Task;
    }

    /// <summary>Wakes a pending read wait without an edge (a reader's <c>CancelPendingRead</c>): it looks, and waits again.</summary>
    public void InterruptRead()
    {
        Waiter? reader;
        lock (_gate)
        {
            reader = _read.Take();
        }
        reader?.Complete(null);
    }

    /// <summary>Fails a wait whose token was cancelled, if it is still the armed one (from the pool, not the canceller's thread).</summary>
    private void Cancel(Direction direction, Waiter waiter, short version, CancellationToken token)
    {
        lock (_gate)
        {
            if (!direction.Disarm(waiter, version)) return;
        }
        waiter.Complete(new OperationCanceledException(token));
    }

    private void End(Exception reason)
    {
        Waiter? reader, writer;
        lock (_gate)
        {
            if (_ended is not null) return;
            _ended = reason;
            reader = _read.Edge(final: true);
            writer = _write.Edge(final: true);
        }
        HandBackClient();
        _handedBack.TrySetResult();
        reader?.Complete(reason);
        writer?.Complete(reason);
    }

    private static IOException Failure(int errno)
    {
        var error = SocketError(errno);
        return new IOException(error.Message, error);
    }

    /// <summary>
    /// A reference on the handle for one system call: a descriptor closed meanwhile fails the call (the constructor
    /// throws <see cref="ObjectDisposedException"/>) instead of reaching a number reused since.
    /// </summary>
    private readonly ref struct Lease
    {
        private readonly SafeHandle _handle;

        public Lease(SafeHandle handle)
        {
            var added = false;
            handle.DangerousAddRef(ref added); // throws, or adds
            _handle = handle;
            Fd = (int)handle.DangerousGetHandle();
        }

        public int Fd { get; }

        public void Dispose() => _handle.DangerousRelease();
    }

    /// <summary>One direction's readiness: the edges seen, the one its last attempt found nothing at, and its waiter.</summary>
    private sealed class Direction
    {
        private Waiter? _waiter;
        private Waiter? _armed;

        public long Sequence;
        public long BlockedAt;

        /// <summary>An end or error was reported: an attempt never waits again (it returns the end or the error).</summary>
        public bool Final;

        public Waiter Arm(EpollSocket socket)
        {
            _armed = _waiter ??= new Waiter(socket, this);
            _armed.Reset();
            return _armed;
        }

        public bool Disarm(Waiter waiter, short version)
        {
            if (!ReferenceEquals(_armed, waiter) || waiter.Version != version) return false;
            _armed = null;
            return true;
        }

        /// <summary>The armed waiter, if any, to complete outside the lock (no edge counted).</summary>
        public Waiter? Take()
        {
            var armed = _armed;
            _armed = null;
            return armed;
        }

        /// <summary>Counts an edge; the armed waiter, if any, to complete outside the lock.</summary>
        public Waiter? Edge(bool final)
        {
            Sequence++;
            Final |= final;
            return Take();
        }
    }

    /// <summary>The one reusable wait of a direction. Its continuation runs where it is completed.</summary>
    private sealed class Waiter(EpollSocket socket, Direction direction) : IValueTaskSource
    {
        private readonly EpollSocket _socket = socket;
        private readonly Direction _direction = direction;
        private ManualResetValueTaskSourceCore<bool> _core;
        private CancellationTokenRegistration _cancellation;

        public short Version => _core.Version;

        public ValueTask Task => new(this, _core.Version);

        public void Reset() => _core.Reset();

        public void CancelWith(CancellationToken token)
        {
            var version = _core.Version;
            _cancellation = token.UnsafeRegister(static (state, token) =>
            {
                var (waiter, version) = ((Waiter, short))state!;
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.waiter._socket.Cancel(s.waiter._direction, s.waiter, s.version, s.token),
                    (waiter, version, token), preferLocal: false);
            }, (this, version));
        }

        public void Complete(Exception? error)
        {
            _cancellation.Dispose(); // no-op when no token was registered; never blocks: the callback only queues
            _cancellation = default;
            if (error is null) _core.SetResult(true);
            else _core.SetException(error);
        }

        public void GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
