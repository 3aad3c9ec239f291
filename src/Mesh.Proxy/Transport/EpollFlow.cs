using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Observability;
using static Mesh.Proxy.Transport.EpollNative;

namespace Mesh.Proxy.Transport;

/// <summary>How a flow on the epoll transport ended.</summary>
internal enum EpollFlowEnd
{
    /// <summary>Both directions passed their FIN on, or one side reset and both were torn down.</summary>
    Closed,

    /// <summary>The upstream connect failed or timed out: the client is the caller's to reset.</summary>
    Unreachable,

    /// <summary>Aborted by its cancellation token (revoked, idle, node stopping).</summary>
    Aborted,
}

/// <summary>
/// One forwarded connection on an <see cref="EpollLoop"/>: the client's descriptor (borrowed from its
/// <see cref="System.Net.Sockets.Socket"/>, which the caller closes after the end), the upstream's (owned), and a
/// direction each way. Every field after the start is touched by the loop's thread only.
/// </summary>
internal sealed unsafe class EpollFlow : EpollEntry
{
    private readonly ByteCounters _counters;
    private readonly int _maxBuffer;
    private readonly TaskCompletionSource<EpollFlowEnd> _end = new();
    private readonly LatencyHistogram? _connectLatency;
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _connected;
    private bool _done;
    private volatile bool _resetClient;

    public EpollFlow(EpollLoop loop, SafeHandle clientHandle, int upstream, ByteCounters counters, int maxBuffer, long connectDeadline,
        LatencyHistogram? connectLatency)
        : base(loop, clientHandle)
    {
        _connectLatency = connectLatency;
        Upstream = upstream;
        _counters = counters;
        _maxBuffer = maxBuffer;
        ConnectDeadline = connectDeadline;
    }

    public int Upstream { get; }

    public long ConnectDeadline { get; }

    public bool Connecting => !_connected && !_done;

    public Task<EpollFlowEnd> End => _end.Task;

    /// <summary>Bytes to send upstream before anything else: what the sniff read.</summary>
    public readonly Direction Up = new(upstreamBound: true);

    public readonly Direction Down = new(upstreamBound: false);

    /// <summary>An event on the client's descriptor, or the upstream's (<paramref name="second"/>).</summary>
    public override void OnEvent(bool second, uint events)
    {
        var upstream = second;
        if (_done) return;
        if (upstream && !_connected)
        {
            if ((events & (EpollErr | EpollHup)) != 0)
            {
                Finish(EpollFlowEnd.Unreachable);
                return;
            }
            if ((events & EpollOut) == 0) return;
            _connected = true;
            _connectLatency?.Record(Stopwatch.GetElapsedTime(_started));
        }
        var direction = upstream ? Down : Up;
        if ((events & (EpollIn | EpollRdHup | EpollHup | EpollErr)) != 0) direction.Readable = true;
        if ((events & (EpollRdHup | EpollHup | EpollErr)) != 0) direction.PeerClosed = true;
        if (!_connected) return; // the client's bytes wait in its socket until the upstream is there
        if (!Transfer(Up, Down, Client, Upstream) || !Transfer(Down, Up, Upstream, Client))
        {
            // One side reset or went away: tear both down so the other direction ends too, as TcpPump does.
            shutdown(Client, ShutRdwr);
            Finish(EpollFlowEnd.Closed);
            return;
        }
        if (Up.ShutDown && Down.ShutDown) Finish(EpollFlowEnd.Closed);
    }

    /// <summary>
    /// Moves what it can from <paramref name="from"/> to <paramref name="to"/>: until the reader would block, the
    /// writer would block (the edge of <c>EPOLLOUT</c> resumes it), or the reader's end is passed on. False on an error.
    /// The end is passed on with <c>shutdown(SHUT_WR)</c> while the other direction still runs (a half-close); once the
    /// other direction has ended too, the flow ends and closing the descriptor sends the same FIN, so that system call is
    /// skipped: on the new-connection load it was one of two <c>shutdown</c> calls per connection, against HAProxy's one.
    /// </summary>
    private bool Transfer(Direction direction, Direction other, int from, int to)
    {
        while (true)
        {
            if (direction.Pending > 0)
            {
                nint sent;
                fixed (byte* data = &direction.Buffer![direction.Start]) sent = send(to, data, direction.Pending, MsgNosignal | MsgDontwait);
                if (sent < 0) return Errno == Eagain;
                direction.Start += (int)sent;
                _counters.Add(direction.UpstreamBound, sent);
                if (direction.Pending > 0) continue;
                direction.Release();
            }
            if (direction.Eof)
            {
                if (!direction.ShutDown)
                {
                    if (!other.ShutDown) shutdown(to, ShutWr);
                    direction.ShutDown = true;
                }
                return true;
            }
            if (!direction.Readable) return true;
            var buffer = direction.Buffer ??= ArrayPool<byte>.Shared.Rent(direction.NextSize);
            var size = direction.NextSize;
            nint read;
            fixed (byte* data = buffer) read = recv(from, data, size, MsgDontwait);
            if (read < 0)
            {
                if (Errno != Eagain) return false;
                direction.Readable = false;
                direction.Release();
                return true;
            }
            if (read == 0)
            {
                direction.Eof = true;
                direction.Release();
                continue;
            }
            direction.Start = 0;
            direction.End = (int)read;
            if (read == size)
            {
                // A full read: a bulk flow pays fewer system calls per byte with a larger buffer (TcpPump's rule).
                if (size < _maxBuffer) direction.NextSize = Math.Min(size * 4, _maxBuffer);
            }
            else if (!direction.PeerClosed)
            {
                // Drained: a later arrival raises a new edge. Not when the peer's FIN came with this edge, for no edge
                // follows it: then read on to the end of the stream.
                direction.Readable = false;
            }
        }
    }

    public override void EndAborted() => Finish(EpollFlowEnd.Aborted);

    public override void EndFaulted()
    {
        if (!_done) shutdown(Client, ShutRdwr);
        Finish(EpollFlowEnd.Closed);
    }

    /// <summary>
    /// Asks the loop to end the flow (from any thread); with <paramref name="reset"/>, the client's socket is set to
    /// close with RST (linger 0), as a refused or revoked connection is. The loop owns the descriptor meanwhile, so
    /// this is the only way to reset it: closing the <see cref="System.Net.Sockets.Socket"/> would wait for the loop.
    /// </summary>
    public void Abort(bool reset)
    {
        if (reset) _resetClient = true;
        Loop.Abort(this);
    }

    /// <summary>Ends the flow once: the upstream closed, the client handed back (its socket is the caller's to close).</summary>
    public void Finish(EpollFlowEnd end)
    {
        if (_done) return;
        _done = true;
        if (_resetClient)
        {
            var linger = stackalloc int[] { 1, 0 }; // struct linger { l_onoff = 1, l_linger = 0 }: close sends RST
            setsockopt(Client, SolSocket, SoLinger, linger, 2 * sizeof(int));
        }
        close(Upstream);
        Up.Release(force: true);
        Down.Release(force: true);
        HandBackClient();
        _end.TrySetResult(end);
    }

    public override void Abandon()
    {
        _done = true;
        close(Upstream);
        Up.Release(force: true);
        base.Abandon();
    }

    /// <summary>One direction's bytes read and not yet written, in a pooled buffer held only while bytes wait.</summary>
    internal sealed class Direction(bool upstreamBound)
    {
        public byte[]? Buffer;
        public int Start, End;
        public int NextSize = 4 * 1024;
        public bool Readable, PeerClosed, Eof, ShutDown;

        public bool UpstreamBound { get; } = upstreamBound;

        public int Pending => End - Start;

        /// <summary>Queues <paramref name="bytes"/> to be written before anything read (the sniffed first bytes).</summary>
        public void Load(ReadOnlySequence<byte> bytes)
        {
            Buffer = ArrayPool<byte>.Shared.Rent(Math.Max((int)bytes.Length, NextSize));
            bytes.CopyTo(Buffer);
            Start = 0;
            End = (int)bytes.Length;
        }

        public void Release(bool force = false)
        {
            if (Buffer is null || (Pending > 0 && !force)) return;
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = null;
            Start = End = 0;
        }
    }
}
