using System.IO.Pipelines;
using Mesh.Policy.Decisions;
using Mesh.Protocols.Tls;
using ProtocolsSniffed = Mesh.Protocols.Sniffing.SniffedProtocol;
using Sniffer = Mesh.Protocols.Sniffing.ProtocolSniffer;

namespace Mesh.Proxy.Connections;

/// <summary>
/// Reads the client's first bytes (bounded in size and time) and classifies them. On timeout, or when the client
/// closes or sends too much without a verdict, the stream is opaque TCP. The buffer is examined, never consumed:
/// the caller replays it upstream or parses it as HTTP.
/// </summary>
internal static class ConnectionSniffer
{
    public static async Task<SniffResult> SniffAsync(PipeReader reader, int maxBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // CancelPendingRead, unlike a cancelled token, leaves the reader and socket usable for the opaque path.
        await using var timer = new Timer(static r => ((PipeReader)r!).CancelPendingRead(), reader, timeout, Timeout.InfiniteTimeSpan);
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (result.IsCanceled) return new SniffResult(SniffedProtocol.Opaque, "", buffer, TimedOut: true);

            var verdict = Classify(buffer, maxBytes, out var sni);
            if (verdict is { } protocol) return new SniffResult(protocol, sni, buffer, TimedOut: false);
            if (result.IsCompleted || buffer.Length >= maxBytes) return new SniffResult(SniffedProtocol.Opaque, "", buffer, false);
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The protocol, or null while more bytes are needed to tell.</summary>
    internal static SniffedProtocol? Classify(in System.Buffers.ReadOnlySequence<byte> buffer, int maxBytes, out string sni)
    {
        sni = "";
        switch (Sniffer.Sniff(buffer, maxBytes))
        {
            case ProtocolsSniffed.NeedMoreData: return null;
            case ProtocolsSniffed.Http1: return SniffedProtocol.Http1;
            case ProtocolsSniffed.Http2PriorKnowledge: return SniffedProtocol.Http2Cleartext;
            case ProtocolsSniffed.Tls:
                switch (SniReader.TryRead(buffer, out var hello, out _, maxBytes))
                {
                    case SniReadStatus.NeedMoreData: return buffer.Length >= maxBytes ? SniffedProtocol.Opaque : null;
                    case SniReadStatus.Success:
                        sni = hello.ServerName ?? "";
                        return SniffedProtocol.Tls;
                    case SniReadStatus.NoServerName:
                    case SniReadStatus.InvalidServerName:
                        return SniffedProtocol.Tls;
                    default:
                        return SniffedProtocol.Opaque; // malformed or oversized hellos are not TLS we can route by name
                }
            default: return SniffedProtocol.Opaque;
        }
    }
}
