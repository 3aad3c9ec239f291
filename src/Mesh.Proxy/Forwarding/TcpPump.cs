using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Mesh.Proxy.Forwarding;

/// <summary>
/// Copies bytes both ways between two sockets until both directions are done. Each direction waits with a zero-byte
/// read while idle, so an idle connection holds no buffer; buffers come from the shared pool, start at 4 KiB and
/// grow to the configured maximum after a read fills one (bulk flows pay fewer syscalls per byte). A FIN is passed
/// on as a half-close (<c>Shutdown(Send)</c>) so protocols that close one side first keep working.
/// </summary>
internal static class TcpPump
{
    private const int InitialBuffer = 4 * 1024;

    public static async Task RunAsync(Socket client, Socket upstream, int maxBuffer, ByteCounters counters, CancellationToken cancellationToken)
    {
        var up = CopyAsync(client, upstream, maxBuffer, counters, upstreamBound: true, cancellationToken);
        var down = CopyAsync(upstream, client, maxBuffer, counters, upstreamBound: false, cancellationToken);
        // Both run already; awaiting them in turn saves the WhenAll task an idle connection would otherwise hold.
        await up;
        await down;
    }

    private static async Task CopyAsync(Socket from, Socket to, int maxBuffer, ByteCounters counters, bool upstreamBound, CancellationToken cancellationToken)
    {
        var size = InitialBuffer;
        try
        {
            while (true)
            {
                // Zero-byte read: completes when data is ready without holding a buffer meanwhile.
                await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken);
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    var read = await from.ReceiveAsync(buffer.AsMemory(0, size), SocketFlags.None, cancellationToken);
                    if (read == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }
                    await SendAllAsync(to, buffer.AsMemory(0, read), cancellationToken);
                    counters.Add(upstreamBound, read);
                    if (read == size && size < maxBuffer) size = Math.Min(size * 4, maxBuffer);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // One side reset or went away: tear both down so the other direction ends too.
            TryShutdown(from);
            TryShutdown(to);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    private static void TryShutdown(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already gone
        }
    }
}

/// <summary>Bytes of one connection, each way; read by the decision log and metrics when the connection ends.</summary>
internal sealed class ByteCounters
{
    private long _up;
    private long _down;
    private long _lastActivity = Environment.TickCount64;

    public long Up => Interlocked.Read(ref _up);

    public long Down => Interlocked.Read(ref _down);

    /// <summary>How long no byte has moved either way (the idle timeout reads it).</summary>
    public TimeSpan Idle => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastActivity));

    public void Add(bool upstreamBound, long count)
    {
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        if (upstreamBound) Interlocked.Add(ref _up, count);
        else Interlocked.Add(ref _down, count);
    }
}
