using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Mesh.Proxy.Transport;

/// <summary>The libc calls the epoll transport makes, and their constants (Linux x86-64 values).</summary>
internal static unsafe partial class EpollNative
{
    public const uint EpollIn = 0x1, EpollOut = 0x4, EpollErr = 0x8, EpollHup = 0x10, EpollRdHup = 0x2000, EpollEt = 1u << 31;
    public const int EpollCtlAdd = 1, EpollCtlDel = 2;
    public const int Eagain = 11, Eintr = 4, Einprogress = 115;
    public const int SockStream = 1, SockNonblock = 0x800, SockCloexec = 0x80000;
    public const int MsgPeek = 0x2, MsgDontwait = 0x40, MsgNosignal = 0x4000;
    public const int ShutWr = 1, ShutRdwr = 2;
    public const int IpProtoTcp = 6, TcpNodelay = 1, SolSocket = 1, SoError = 4, SoLinger = 13;

    /// <summary><c>struct epoll_event</c>, packed on x86-64 (12 bytes): the transport runs only there.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 12)]
    public struct EpollEvent
    {
        [FieldOffset(0)] public uint Events;
        [FieldOffset(4)] public ulong Data;
    }

    /// <summary>Where the transport runs: Linux on x86-64, whose packed <c>epoll_event</c> this layout is.</summary>
    public static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [LibraryImport("libc", SetLastError = true)] public static partial int epoll_create1(int flags);
    [LibraryImport("libc", SetLastError = true)] public static partial int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);
    [LibraryImport("libc", SetLastError = true)] public static partial int epoll_wait(int epfd, EpollEvent* events, int max, int timeout);
    [LibraryImport("libc", SetLastError = true)] public static partial int eventfd(uint initial, int flags);
    [LibraryImport("libc", SetLastError = true)] public static partial int socket(int domain, int type, int protocol);
    [LibraryImport("libc", SetLastError = true)] public static partial int setsockopt(int fd, int level, int name, void* value, int length);
    [LibraryImport("libc", SetLastError = true)] public static partial int getsockopt(int fd, int level, int name, void* value, int* length);
    [LibraryImport("libc", SetLastError = true)] public static partial int connect(int fd, void* address, int length);
    [LibraryImport("libc", SetLastError = true)] public static partial nint recv(int fd, byte* buffer, nint length, int flags);
    [LibraryImport("libc", SetLastError = true)] public static partial nint send(int fd, byte* buffer, nint length, int flags);
    [LibraryImport("libc", SetLastError = true)] public static partial nint read(int fd, void* buffer, nint length);
    [LibraryImport("libc", SetLastError = true)] public static partial nint write(int fd, void* buffer, nint length);
    [LibraryImport("libc", SetLastError = true)] public static partial int shutdown(int fd, int how);
    [LibraryImport("libc", SetLastError = true)] public static partial int close(int fd);

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>
    /// A socket error for a Linux errno, as .NET's sockets would report it (<see cref="SocketException"/> takes the
    /// portable codes, not errno values).
    /// </summary>
    public static SocketException SocketError(int errno) => new((int)(errno switch
    {
        32 => System.Net.Sockets.SocketError.Shutdown, // EPIPE
        24 or 23 => System.Net.Sockets.SocketError.TooManyOpenSockets, // EMFILE, ENFILE
        99 => System.Net.Sockets.SocketError.AddressNotAvailable,
        101 => System.Net.Sockets.SocketError.NetworkUnreachable,
        103 => System.Net.Sockets.SocketError.ConnectionAborted,
        104 => System.Net.Sockets.SocketError.ConnectionReset,
        105 => System.Net.Sockets.SocketError.NoBufferSpaceAvailable,
        107 => System.Net.Sockets.SocketError.NotConnected,
        110 => System.Net.Sockets.SocketError.TimedOut,
        111 => System.Net.Sockets.SocketError.ConnectionRefused,
        113 => System.Net.Sockets.SocketError.HostUnreachable,
        _ => System.Net.Sockets.SocketError.SocketError,
    }));
}
