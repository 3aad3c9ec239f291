using System.IO.Pipelines;
using Mesh.Policy.Decisions;
using Mesh.Policy.Snapshots;
using Mesh.Protocols.Tls;
using ProtocolsSniffed = Mesh.Protocols.Sniffing.SniffedProtocol;
using Sniffer = Mesh.Protocols.Sniffing.ProtocolSniffer;

namespace Mesh.Proxy.Connections;

/// <summary>
/// Reads the client's first bytes (bounded in size and time) and classifies them. The buffer is examined, never
/// consumed: the caller replays it upstream or parses it as HTTP. A sniff that ends before the bytes tell (the sniff
/// timeout, or the client closing) is <see cref="SniffedProtocol.Undecided"/>, which the policy treats as opaque TCP
/// except on a port with http rules; there a silent client is not timed out at all (<see cref="TimeoutFor"/>): it waits
/// for its first bytes, bounded only by the idle timeout, and is classified by them (egress-semantics step 2).
/// </summary>
internal static class ConnectionSniffer
{
    /// <summary>The sniff timeout for a connection to <paramref name="port"/>: none where the identity has http rules.</summary>
    public static TimeSpan TimeoutFor(EgressSnapshot snapshot, int port, ProxyOptions options) =>
        snapshot.WaitsForFirstBytes(port) ? Timeout.InfiniteTimeSpan : options.SniffTimeout;

    public static async Task<SniffResult> SniffAsync(PipeReader reader, int maxBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // CancelPendingRead, unlike a cancelled token, leaves the reader and socket usable for the opaque path.
        // No timer at all where there is no timeout (ports with http rules).
        await using var timer = timeout == Timeout.InfiniteTimeSpan
            ? null
            : new Timer(static r => ((PipeReader)r!).CancelPendingRead(), reader, timeout, Timeout.InfiniteTimeSpan);
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (result.IsCanceled) return new SniffResult(SniffedProtocol.Undecided, "", buffer, TimedOut: true);

            var verdict = Classify(buffer, maxBytes, out var sni);
            if (verdict is { } protocol) return new SniffResult(protocol, sni, buffer, TimedOut: false);
            if (result.IsCompleted) return new SniffResult(SniffedProtocol.Undecided, "", buffer, false);
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The protocol, or null while more bytes are needed to tell.</summary>
    internal static SniffedProtocol? Classify(in System.Buffers.ReadOnlySequence<byte> buffer, int maxBytes, out string sni)
    {
        sni = "";
        switch (Sniffer.Sniff(buffer, maxBytes))
        {
            // The sniffer always decides by maxBytes; the bound here only keeps this loop from buffering without end.
            case ProtocolsSniffed.NeedMoreData: return buffer.Length >= maxBytes ? SniffedProtocol.Opaque : null;
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
