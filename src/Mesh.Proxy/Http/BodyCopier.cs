using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Mesh.Protocols.Http;
using Mesh.Proxy.Forwarding;

namespace Mesh.Proxy.Http;

/// <summary>
/// Copies exactly one message body from a reader to a peer (or discards it when <c>to</c> is null), so the bytes
/// after it are the next message: a Content-Length count, a chunked body to its last chunk and trailers, or
/// everything until the peer closes. Returns false when the body ended early or was malformed.
/// </summary>
internal static class BodyCopier
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<bool> CopyAsync(PipeReader from, Peer? to, BodyFraming framing, long contentLength, ByteCounters counters, bool upstreamBound, CancellationToken ct)
    {
        switch (framing)
        {
            case BodyFraming.None:
                return true;
            case BodyFraming.ContentLength:
                var remaining = contentLength;
                while (remaining > 0)
                {
                    var result = await ReadAsync(from, ct);
                    var take = Math.Min(remaining, result.Buffer.Length);
                    var slice = result.Buffer.Slice(0, take);
                    await SendAsync(to, slice, counters, upstreamBound, ct);
                    from.AdvanceTo(slice.End);
                    remaining -= take;
                    if (remaining > 0 && result.IsCompleted) return false;
                }
                return true;
            case BodyFraming.Chunked:
                var chunked = new ChunkedBodyReader();
                while (true)
                {
                    var result = await ReadAsync(from, ct);
                    var status = chunked.Read(result.Buffer, out var consumed);
                    var slice = result.Buffer.Slice(0, consumed);
                    await SendAsync(to, slice, counters, upstreamBound, ct);
                    if (status == ChunkedBodyStatus.Complete)
                    {
                        from.AdvanceTo(consumed);
                        return true;
                    }
                    if (status == ChunkedBodyStatus.Invalid || result.IsCompleted)
                    {
                        from.AdvanceTo(consumed);
                        return false;
                    }
                    from.AdvanceTo(consumed, result.Buffer.End);
                }
            default: // close-delimited: until the peer closes
                while (true)
                {
                    var result = await ReadAsync(from, ct);
                    await SendAsync(to, result.Buffer, counters, upstreamBound, ct);
                    from.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted) return true;
                }
        }
    }

    /// <summary>Copies everything a reader yields to a peer, then half-closes it (a tunnel direction).</summary>
    public static async Task TunnelAsync(PipeReader from, Peer to, ByteCounters counters, bool upstreamBound, CancellationToken ct)
    {
        try
        {
            await CopyAsync(from, to, BodyFraming.CloseDelimited, 0, counters, upstreamBound, ct);
            to.ShutdownSend();
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // the other side is gone; the tunnel ends
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<ReadResult> ReadAsync(PipeReader from, CancellationToken ct)
    {
        while (true)
        {
            var result = await from.ReadAsync(ct);
            if (!result.IsCanceled) return result; // a stale sniff-timeout cancellation is not an end
        }
    }

    /// <summary>Sends a slice of a pipe's buffer (one send when it is one segment, as it nearly always is).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask SendAsync(Peer? to, ReadOnlySequence<byte> data, ByteCounters counters, bool upstreamBound, CancellationToken ct)
    {
        if (to is null || data.IsEmpty) return;
        if (data.IsSingleSegment) await to.SendAsync(data.First, ct);
        else foreach (var segment in data) await to.SendAsync(segment, ct);
        counters.Add(upstreamBound, data.Length);
    }
}
