using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Mesh.Benchmarks;

/// <summary>
/// A transparent forwarder below .NET's <see cref="Socket"/>, for <c>FLOOR=1 MESH_ARGS="floor --raw"</c>: one thread
/// running its own <c>epoll</c> loop on raw descriptors (HAProxy's shape at <c>nbthread 1</c>), edge-triggered, each
/// descriptor registered once, non-blocking <c>accept4</c>/<c>connect</c>, reads and writes straight into native
/// buffers. It answers what the floor of .NET's asynchronous sockets (<see cref="DataPlaneFloor"/>) leaves open: how
/// much of a connection's cost is the socket layer, before anyone rewrites the proxy's I/O on it (issue 11). Linux
/// x86-64 only; it forwards every redirected connection: a measuring tool, never a proxy to deploy.
/// </summary>
internal static unsafe partial class RawEpollFloor
{
    private const uint EpollIn = 0x1, EpollOut = 0x4, EpollErr = 0x8, EpollHup = 0x10, EpollRdHup = 0x2000, EpollEt = 1u << 31;
    private const int EpollCtlAdd = 1;
    private const int Eagain = 11, Eintr = 4, Einprogress = 115;
    private const int SockNonblock = 0x800, SockCloexec = 0x80000;
    private const int MsgNosignal = 0x4000;
    private const int ShutWr = 1;
    private const ulong ListenerTag = ulong.MaxValue;

    [StructLayout(LayoutKind.Explicit, Size = 12)] // struct epoll_event is packed on x86-64
    private struct EpollEvent
    {
        [FieldOffset(0)] public uint Events;
        [FieldOffset(4)] public ulong Data;
    }

    [LibraryImport("libc", SetLastError = true)] private static partial int epoll_create1(int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);
    [LibraryImport("libc", SetLastError = true)] private static partial int epoll_wait(int epfd, EpollEvent* events, int max, int timeout);
    [LibraryImport("libc", SetLastError = true)] private static partial int accept4(int fd, void* addr, void* len, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int getsockopt(int fd, int level, int name, void* value, int* len);
    [LibraryImport("libc", SetLastError = true)] private static partial int setsockopt(int fd, int level, int name, void* value, int len);
    [LibraryImport("libc", SetLastError = true)] private static partial int socket(int domain, int type, int protocol);
    [LibraryImport("libc", SetLastError = true)] private static partial int connect(int fd, void* addr, int len);
    [LibraryImport("libc", SetLastError = true)] private static partial nint recv(int fd, byte* buf, nint len, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial nint send(int fd, byte* buf, nint len, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int shutdown(int fd, int how);
    [LibraryImport("libc", SetLastError = true)] private static partial int close(int fd);

    /// <summary>One direction of a connection: bytes read from one side, not yet written to the other.</summary>
    private sealed class Direction
    {
        public byte* Buffer;
        public int Start, End;
        public bool Readable, PeerClosed, Eof, ShutDown;
    }

    private sealed class Connection
    {
        public int Client, Server;
        public bool Connected, Closed;
        public readonly Direction Up = new(), Down = new();
    }

    private static int _bufferSize = 64 * 1024;
    private static readonly Stack<nint> FreeBuffers = new();
    private static readonly List<Connection?> Slots = [];
    private static readonly Stack<int> FreeSlots = new();
    private static readonly List<int> FreedThisBatch = [];

    public static Task RunAsync(int outboundPort, IPEndPoint admin, int bufferSize)
    {
        _bufferSize = bufferSize;
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Any, outboundPort));
        listener.Listen(1024);
        var thread = new Thread(() => Loop((int)listener.Handle)) { IsBackground = true, Name = "epoll loop" };
        thread.Start();
        return DataPlaneFloor.ServeReadyAsync(admin);
    }

    private static void Loop(int listener)
    {
        var epoll = epoll_create1(SockCloexec);
        Add(epoll, listener, EpollIn, ListenerTag);
        var events = stackalloc EpollEvent[256];
        while (true)
        {
            var n = epoll_wait(epoll, events, 256, -1);
            if (n < 0 && Marshal.GetLastPInvokeError() == Eintr) continue;
            for (var i = 0; i < n; i++)
            {
                if (events[i].Data == ListenerTag)
                {
                    Accept(epoll, listener);
                    continue;
                }
                var slot = (int)(events[i].Data >> 1);
                if (Slots[slot] is not { Closed: false } connection) continue;
                var server = (events[i].Data & 1) == 1;
                var flags = events[i].Events;
                if (server && !connection.Connected)
                {
                    if ((flags & (EpollErr | EpollHup)) != 0) { Close(connection, slot); continue; }
                    if ((flags & EpollOut) != 0) connection.Connected = true;
                }
                var direction = server ? connection.Down : connection.Up;
                if ((flags & (EpollIn | EpollRdHup | EpollHup | EpollErr)) != 0) direction.Readable = true;
                if ((flags & (EpollRdHup | EpollHup | EpollErr)) != 0) direction.PeerClosed = true;
                Progress(connection, slot);
            }
            foreach (var slot in FreedThisBatch) FreeSlots.Push(slot);
            FreedThisBatch.Clear();
        }
    }

    private static void Accept(int epoll, int listener)
    {
        var original = stackalloc byte[16]; // struct sockaddr_in
        while (true)
        {
            var client = accept4(listener, null, null, SockNonblock | SockCloexec);
            if (client < 0) return; // EAGAIN: the queue is empty (edge: accept until then)
            var length = 16;
            if (getsockopt(client, 0 /*SOL_IP*/, 80 /*SO_ORIGINAL_DST*/, original, &length) < 0) { close(client); continue; }
            var server = socket(2 /*AF_INET*/, 1 /*SOCK_STREAM*/ | SockNonblock | SockCloexec, 0);
            var one = 1;
            setsockopt(server, 6 /*IPPROTO_TCP*/, 1 /*TCP_NODELAY*/, &one, sizeof(int));
            if (connect(server, original, 16) < 0 && Marshal.GetLastPInvokeError() != Einprogress) { close(server); close(client); continue; }
            var connection = new Connection { Client = client, Server = server };
            var slot = FreeSlots.Count > 0 ? FreeSlots.Pop() : Slots.Count;
            if (slot == Slots.Count) Slots.Add(connection); else Slots[slot] = connection;
            const uint interest = EpollIn | EpollOut | EpollRdHup | EpollEt;
            Add(epoll, client, interest, (ulong)slot << 1);
            Add(epoll, server, interest, ((ulong)slot << 1) | 1);
        }
    }

    private static void Progress(Connection connection, int slot)
    {
        if (!connection.Connected) return;
        if (!Transfer(connection.Up, connection.Client, connection.Server) || !Transfer(connection.Down, connection.Server, connection.Client))
        {
            Close(connection, slot);
            return;
        }
        if (connection.Up.ShutDown && connection.Down.ShutDown) Close(connection, slot);
    }

    /// <summary>Moves what it can from <paramref name="from"/> to <paramref name="to"/>; false on an error.</summary>
    private static bool Transfer(Direction direction, int from, int to)
    {
        while (true)
        {
            if (direction.End > direction.Start)
            {
                var sent = send(to, direction.Buffer + direction.Start, direction.End - direction.Start, MsgNosignal);
                if (sent < 0) return Marshal.GetLastPInvokeError() == Eagain; // the edge of EPOLLOUT resumes it
                direction.Start += (int)sent;
                if (direction.Start < direction.End) continue;
                direction.Start = direction.End = 0;
                Release(direction);
            }
            if (direction.Eof)
            {
                if (!direction.ShutDown) { shutdown(to, ShutWr); direction.ShutDown = true; }
                return true;
            }
            if (!direction.Readable) return true;
            if (direction.Buffer == null) direction.Buffer = Rent();
            var read = recv(from, direction.Buffer, _bufferSize, 0);
            if (read < 0)
            {
                if (Marshal.GetLastPInvokeError() != Eagain) return false;
                direction.Readable = false;
                Release(direction);
                return true;
            }
            if (read == 0) { direction.Eof = true; Release(direction); continue; }
            direction.End = (int)read;
            // Drained: a later arrival raises a new edge. Not when the peer's FIN came with the same edge: no edge follows
            // it, so read on to the end of the stream.
            if (read < _bufferSize && !direction.PeerClosed) direction.Readable = false;
        }
    }

    private static void Close(Connection connection, int slot)
    {
        connection.Closed = true;
        close(connection.Client);
        close(connection.Server);
        Release(connection.Up);
        Release(connection.Down);
        Slots[slot] = null;
        FreedThisBatch.Add(slot);
    }

    private static byte* Rent() => FreeBuffers.Count > 0 ? (byte*)FreeBuffers.Pop() : (byte*)NativeMemory.Alloc((nuint)_bufferSize);

    private static void Release(Direction direction)
    {
        if (direction.Buffer == null || direction.End > direction.Start) return;
        FreeBuffers.Push((nint)direction.Buffer);
        direction.Buffer = null;
        direction.Start = direction.End = 0;
    }

    private static void Add(int epoll, int fd, uint events, ulong data)
    {
        var ev = new EpollEvent { Events = events, Data = data };
        if (epoll_ctl(epoll, EpollCtlAdd, fd, &ev) < 0) throw new InvalidOperationException($"epoll_ctl: errno {Marshal.GetLastPInvokeError()}");
    }
}
