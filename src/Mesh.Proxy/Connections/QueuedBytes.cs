using System.Buffers;
using System.Net.Sockets;
using Mesh.Proxy.Transport;

namespace Mesh.Proxy.Connections;

/// <summary>
/// The client's first bytes when they were already queued as the flow started, read with one receive into a pooled
/// buffer. A client writes right after its connect completes, so by the time its connection actor runs they are
/// usually there, and the sniff then needs no pipe, no sniff timer and no zero-byte wait (a one-byte <c>MSG_PEEK</c>
/// on Linux). The accepted socket is still blocking, so the receive is one that cannot wait (<c>MSG_DONTWAIT</c>);
/// where that call is not at hand, <see cref="Socket.Available"/> (one <c>ioctl</c>) is asked first. Nothing queued
/// yet, and the flow waits for the first bytes (on the epoll transport, or through its pipe), holding no buffer.
/// </summary>
internal sealed class QueuedBytes : IDisposable
{
    /// <summary>
    /// Enough for an HTTP request head or a TLS ClientHello (about 1.8 KB with a post-quantum key share); first bytes
    /// that do not tell yet continue in the pipe behind these.
    /// </summary>
    public const int Capacity = 4096;

    private byte[]? _buffer;

    private QueuedBytes(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySequence<byte> Bytes => new(_buffer ?? throw new ObjectDisposedException(nameof(QueuedBytes)), 0, Length);

    /// <summary>Reads what the client has queued, without waiting; null when nothing is (or the read failed: the pipe will see why).</summary>
    public static QueuedBytes? TryRead(Socket client)
    {
        // Where the epoll transport runs, one receive that cannot wait (MSG_DONTWAIT) instead of two system calls.
        if (!EpollNative.Supported && client.Available == 0) return null;
        var buffer = ArrayPool<byte>.Shared.Rent(Capacity);
        var read = EpollNative.Supported ? ReceiveNow(client, buffer) : client.Receive(buffer.AsSpan(0, Capacity), SocketFlags.None, out _);
        if (read > 0) return new QueuedBytes(buffer, read);
        ArrayPool<byte>.Shared.Return(buffer);
        return null;
    }

    /// <summary>A receive that returns at once: the count, or 0 or less when nothing was queued (or it failed).</summary>
    private static unsafe int ReceiveNow(Socket client, byte[] buffer)
    {
        fixed (byte* data = buffer)
        {
            return (int)EpollNative.recv((int)client.SafeHandle.DangerousGetHandle(), data, Capacity, EpollNative.MsgDontwait);
        }
    }

    /// <summary>A copy the caller may keep past <see cref="Dispose"/> (the HTTP inspector's reader replays it).</summary>
    public byte[] ToArray() => Bytes.ToArray();

    public void Dispose()
    {
        if (_buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
    }
}
