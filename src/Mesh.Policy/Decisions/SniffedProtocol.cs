namespace Mesh.Policy.Decisions;

/// <summary>What the client's first bytes showed.</summary>
public enum SniffedProtocol
{
    /// <summary>Bytes no HTTP server reads as a request, nor TLS: opaque TCP.</summary>
    Opaque,

    /// <summary>A TLS ClientHello (with or without SNI).</summary>
    Tls,

    /// <summary>An HTTP/1.x request head.</summary>
    Http1,

    /// <summary>
    /// The HTTP/2 cleartext (prior knowledge) preface. Mesh does not inspect HTTP/2: on a port with http rules only a
    /// tcp rule allows it (never passthrough); elsewhere it is opaque TCP.
    /// </summary>
    Http2Cleartext,

    /// <summary>
    /// The sniff ended before the bytes told (the sniff timeout passed, or the client closed): opaque TCP, except on a
    /// port with http rules, where it could be HTTP that nobody inspects and only a tcp rule allows it.
    /// </summary>
    Undecided,
}
