using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using static Mesh.Proxy.Transport.EpollNative;

namespace Mesh.Proxy.Transport;

/// <summary>
/// One thread waiting on one epoll instance and moving the bytes of the flows registered on it (and waiting for
/// clients' first bytes, <see cref="EpollReadWait"/>; reporting readiness to inspected HTTP connections,
/// <see cref="EpollSocket"/>). Descriptors are registered once, edge-triggered, for reading
/// and writing, so a flow costs two <c>epoll_ctl</c> calls to add and one to remove its client; a flow starts from any
/// thread (its registrations are the hand-over) and only this thread touches it afterwards. Aborts come from other
/// threads through a queue and an eventfd. Connect deadlines need no timer: the timeout is the same for every flow,
/// so they expire in the order the flows started, and the loop checks the oldest each time it wakes (at least once a
/// second). A connect that hangs keeps the flows started after it in that queue until it expires (at most the connect
/// timeout's worth of flows, each already ended and holding no buffer).
/// </summary>
internal sealed unsafe class EpollLoop : IDisposable
{
    private const ulong WakeKey = 0;
    private const int MaxEvents = 256;

    /// <summary>How long a listener rests when it may not accept (no descriptors, or at the connection limit).</summary>
    private const int RestMilliseconds = 50;

    private readonly int _wake;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<EpollEntry> _aborts = new();
    private readonly ConcurrentQueue<EpollFlow> _connecting = new();
    private readonly List<EpollEntry> _retired = [];
    private readonly ConcurrentDictionary<EpollAcceptor, bool> _acceptors = new();
    private readonly Queue<(EpollAcceptor Acceptor, long Until)> _resting = new();
    private readonly Lock _closedGate = new();
    private volatile bool _stopping;
    private volatile bool _closed;
    private int _live;

    public EpollLoop(string name)
    {
        Descriptor = epoll_create1(SockCloexec);
        if (Descriptor < 0) throw new InvalidOperationException($"epoll_create1 failed: errno {Errno}");
        _wake = eventfd(0, SockNonblock | SockCloexec);
        if (_wake < 0) throw new InvalidOperationException($"eventfd failed: errno {Errno}");
        if (!TryRegister(_wake, EpollIn | EpollEt, WakeKey)) throw new InvalidOperationException($"epoll_ctl(eventfd) failed: errno {Errno}");
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public int Descriptor { get; }

    /// <summary>Entries (flows and first-byte waits) started and not yet ended.</summary>
    public int Live => Volatile.Read(ref _live);

    /// <summary>Registers a started flow (its upstream connect in progress): from here on the loop owns it.</summary>
    public void Start(EpollFlow flow)
    {
        const uint interest = EpollIn | EpollOut | EpollRdHup | EpollEt;
        // The client first: until the upstream is registered nothing can end the flow (only its connect's outcome,
        // or an abort, which its caller registers after this), so no registration can outlive it.
        Interlocked.Increment(ref _live);
        if (!TryRegister(flow.Client, interest, flow.Key(second: false)))
        {
            Interlocked.Decrement(ref _live);
            flow.Abandon();
            throw new InvalidOperationException($"epoll_ctl(client) failed: errno {Errno}");
        }
        if (!TryRegister(flow.Upstream, interest, flow.Key(second: true)))
        {
            Unregister(flow.Client);
            Interlocked.Decrement(ref _live);
            flow.Abandon();
            throw new InvalidOperationException($"epoll_ctl(upstream) failed: errno {Errno}");
        }
        // Queued after the registrations: a flow that connected (or failed) before this is dequeued as it is seen.
        _connecting.Enqueue(flow);
    }

    /// <summary>Registers a wait for a client's first bytes.</summary>
    public void Start(EpollReadWait wait)
    {
        Interlocked.Increment(ref _live);
        if (TryRegister(wait.Client, EpollIn | EpollRdHup | EpollEt, wait.Key(second: false))) return;
        Interlocked.Decrement(ref _live);
        wait.Abandon();
        throw new InvalidOperationException($"epoll_ctl(client) failed: errno {Errno}");
    }

    /// <summary>Registers a connected (or connecting) socket that asynchronous code reads and writes (<see cref="EpollSocket"/>).</summary>
    public void Start(EpollSocket socket)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        Interlocked.Increment(ref _live);
        if (TryRegister(socket.Client, EpollIn | EpollOut | EpollRdHup | EpollEt, socket.Key(second: false))) return;
        Interlocked.Decrement(ref _live);
        socket.Abandon();
        throw new InvalidOperationException($"epoll_ctl(socket) failed: errno {Errno}");
    }

    /// <summary>
    /// Registers a listener to accept from, level-triggered (<see cref="EpollAcceptor"/>). Its owner aborts it before
    /// disposing the listener; one still registered when the loop stops is ended then, so that its handle is released.
    /// </summary>
    public void Start(EpollAcceptor acceptor)
    {
        Interlocked.Increment(ref _live);
        _acceptors[acceptor] = true;
        if (TryRegister(acceptor.Client, EpollIn, acceptor.Key(second: false))) return;
        _acceptors.TryRemove(acceptor, out _);
        Interlocked.Decrement(ref _live);
        acceptor.Abandon();
        throw new InvalidOperationException($"epoll_ctl(listener) failed: errno {Errno}");
    }

    /// <summary>
    /// Takes a listener off the wait for <see cref="RestMilliseconds"/>, on the loop's thread: its queue stays readable
    /// while accepts fail for want of descriptors or wait for room under the connection limit, and a level-triggered
    /// wait would report it without pause.
    /// </summary>
    public void Rest(EpollAcceptor acceptor)
    {
        Unregister(acceptor.Client);
        _resting.Enqueue((acceptor, Environment.TickCount64 + RestMilliseconds));
    }

    /// <summary>Asks the loop to end <paramref name="entry"/> (from any thread).</summary>
    public void Abort(EpollEntry entry)
    {
        _aborts.Enqueue(entry);
        if (_closed) EndAbortsAfterClose(); // nothing will wake: end it here, so no owner waits for it forever
        else Wake();
    }

    /// <summary>Removes a descriptor that lives on after its entry (a client's, whose Socket closes it later).</summary>
    public void Unregister(int fd)
    {
        if (_closed) return; // the epoll descriptor is closed (its number may be reused): nothing is registered
        var none = default(EpollEvent);
        epoll_ctl(Descriptor, EpollCtlDel, fd, &none);
    }

    /// <summary>Called by an entry as it ends, on this loop's thread: its handle is freed after the current batch.</summary>
    public void Retire(EpollEntry entry)
    {
        if (entry is EpollAcceptor acceptor) _acceptors.TryRemove(acceptor, out _);
        if (_closed)
        {
            entry.Handle.Free(); // no batch left to wait for
            Interlocked.Decrement(ref _live);
            return;
        }
        _retired.Add(entry);
    }

    private void Run()
    {
        var events = stackalloc EpollEvent[MaxEvents];
        var stopBy = long.MaxValue;
        while (true)
        {
            if (_stopping)
            {
                // The node aborts its flows before it disposes the transport; give their aborts time to arrive.
                stopBy = Math.Min(stopBy, Environment.TickCount64 + 5000);
                if (Live == 0 || Environment.TickCount64 > stopBy) break;
            }
            var count = epoll_wait(Descriptor, events, MaxEvents, _resting.Count == 0 ? 1000 : RestMilliseconds);
            if (count < 0 && Errno != Eintr) break; // cannot happen while the descriptor is open (only this thread closes it)
            for (var i = 0; i < count; i++)
            {
                var key = events[i].Data;
                if (key == WakeKey)
                {
                    ulong ignored;
                    read(_wake, &ignored, sizeof(ulong));
                    continue;
                }
                var entry = (EpollEntry)GCHandle.FromIntPtr((nint)(key & ~1UL)).Target!;
                try
                {
                    entry.OnEvent(second: (key & 1) == 1, events[i].Events);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Nothing in a flow's step should throw; if it does, that flow ends, and the loop serves the rest.
                    entry.EndFaulted();
                }
            }
            while (_aborts.TryDequeue(out var aborted)) aborted.EndAborted();
            ExpireConnects();
            WakeRested();
            // An event for a flow that ended earlier in the batch still found it alive (it ignores events once ended);
            // only now, with no event of this batch left, may its handle go.
            FreeRetired();
        }
        // A listener's owner disposing it waits until the handle is released: never leave one held by a stopped loop.
        foreach (var acceptor in _acceptors.Keys) acceptor.EndAborted();
        FreeRetired();
        // An entry still registered (an inspected connection whose owner ends it late) is ended when its owner asks.
        lock (_closedGate)
        {
            _closed = true;
            close(_wake);
            close(Descriptor);
        }
        EndAbortsAfterClose();
    }

    /// <summary>Ends aborted entries on the caller's thread once the loop has closed (one at a time).</summary>
    private void EndAbortsAfterClose()
    {
        lock (_closedGate)
        {
            while (_aborts.TryDequeue(out var aborted)) aborted.EndAborted();
        }
    }

    private void ExpireConnects()
    {
        var now = Environment.TickCount64;
        while (_connecting.TryPeek(out var oldest))
        {
            if (oldest.Connecting && oldest.ConnectDeadline > now) return;
            _connecting.TryDequeue(out _);
            if (oldest.Connecting) oldest.Finish(EpollFlowEnd.Unreachable);
        }
    }

    private void FreeRetired()
    {
        foreach (var entry in _retired)
        {
            entry.Handle.Free();
            Interlocked.Decrement(ref _live);
        }
        _retired.Clear();
    }

    /// <summary>Puts rested listeners back on the wait (one ended meanwhile stays off: its registration is gone).</summary>
    private void WakeRested()
    {
        var now = Environment.TickCount64;
        while (_resting.TryPeek(out var rested) && rested.Until <= now)
        {
            _resting.Dequeue();
            if (_acceptors.ContainsKey(rested.Acceptor)) TryRegister(rested.Acceptor.Client, EpollIn, rested.Acceptor.Key(second: false));
        }
    }

    private bool TryRegister(int fd, uint events, ulong key)
    {
        var registration = new EpollEvent { Events = events, Data = key };
        return epoll_ctl(Descriptor, EpollCtlAdd, fd, &registration) == 0;
    }

    private void Wake()
    {
        var one = 1UL;
        lock (_closedGate)
        {
            if (!_closed) write(_wake, &one, sizeof(ulong)); // never to a closed descriptor, whose number may be reused
        }
    }

    /// <summary>
    /// Stops once the flows on it have ended (the node aborts them first), or after 5 s; the thread closes its own
    /// descriptors as it ends, so no call can meet a closed one.
    /// </summary>
    public void Dispose()
    {
        _stopping = true;
        Wake();
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
