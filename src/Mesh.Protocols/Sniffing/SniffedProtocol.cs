namespace Mesh.Protocols.Sniffing;

/// <summary>What a connection's first bytes look like (see <see cref="ProtocolSniffer"/>).</summary>
internal enum SniffedProtocol
{
    /// <summary>Still ambiguous; wait for more bytes (or give up after the sniff timeout: treat as opaque).</summary>
    NeedMoreData,

    /// <summary>A TLS handshake record starting a ClientHello; read it with <c>SniReader</c>.</summary>
    Tls,

    /// <summary>An HTTP/1.x request line; parse it with <c>HttpRequestHeadParser</c>.</summary>
    Http1,

    /// <summary>The HTTP/2 cleartext prior-knowledge connection preface (RFC 9113 §3.4).</summary>
    Http2PriorKnowledge,

    /// <summary>None of the above.</summary>
    Opaque,
}
