using System.IO.Pipelines;
using System.Net.Sockets;

namespace Mesh.Proxy.Connections;

/// <summary>The reader over a client connection that is sniffed or parsed (HTTP heads) rather than pumped raw.</summary>
internal static class ClientPipe
{
    // Zero-byte reads: a kept-alive HTTP connection waiting for its next request holds no pooled segment, only the
    // socket (the idle benchmark measured 13.6 KiB per idle HTTP connection against 11.7 KiB for raw TCP without them).
    public static readonly StreamPipeReaderOptions Options = new(leaveOpen: true, useZeroByteReads: true);

    public static PipeReader Create(Socket client) => PipeReader.Create(new NetworkStream(client, ownsSocket: false), Options);

    /// <summary>A reader that yields <paramref name="readAlready"/> (the client's first bytes, read before any pipe) first.</summary>
    public static PipeReader Create(Socket client, byte[] readAlready) =>
        PipeReader.Create(new PrefixedStream(readAlready, new NetworkStream(client, ownsSocket: false)), Options);
}
