using System.IO.Pipelines;

namespace Mesh.Proxy.Http;

/// <summary>
/// An upstream connection kept alive across requests of one client connection, while they go to the same place: a
/// rule's host at the destination port, or (<see cref="Host"/> null) the original destination itself.
/// </summary>
internal sealed class UpstreamSession(Peer peer, string? host) : IAsyncDisposable
{
    // Responses are read in up to 64 KiB at a time: with the pipe's default 4 KiB segments a 1 MiB body took 256
    // receive/send pairs and Mesh relayed 1 MiB responses at 0.29x HAProxy (bench run 2026-11-21 03:01). Zero-byte
    // reads rent that buffer only once the response is there and give it back as soon as it is relayed, so the shared
    // pool serves it: without them each of 50 connections held one while waiting for its response, the pool ran dry
    // and kept-alive HTTP fell from 0.78x to 0.69x HAProxy (one run each, 2026-11-21 04:00).
    public static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, useZeroByteReads: true);

    public Peer Peer { get; } = peer;

    public PipeReader Reader => Peer.Reader;

    /// <summary>The rule host it was opened to (lower case, no trailing dot), or null for the original destination.</summary>
    public string? Host { get; } = host;

    public int RequestsServed { get; set; }

    /// <summary>Whether a request for <paramref name="host"/> (null: the original destination) can reuse this connection.</summary>
    public bool GoesTo(ReadOnlySpan<char> host, bool originalDestination) =>
        originalDestination ? Host is null : Host is not null && host.Equals(Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>Shuts the connection both ways (a pending read sees its end) without disposing it under its readers.</summary>
    public void Abort() => Peer.Abort();

    public ValueTask DisposeAsync() => Peer.DisposeAsync();
}
