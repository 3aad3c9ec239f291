namespace Mesh.Protocols.Sniffing;

/// <summary>What a connection's first bytes look like (see <see cref="ProtocolSniffer"/>).</summary>
internal enum SniffedProtocol
{
    /// <summary>Still ambiguous; wait for more bytes (the proxy decides what a sniff that ends here means).</summary>
    NeedMoreData,

    /// <summary>A TLS handshake record starting a ClientHello; read it with <c>SniReader</c>.</summary>
    Tls,

    /// <summary>What some server would read as an HTTP/1 request line; parse it (strictly) with <c>HttpRequestHeadParser</c>.</summary>
    Http1,

    /// <summary>The HTTP/2 cleartext prior-knowledge connection preface (RFC 9113 §3.4).</summary>
    Http2PriorKnowledge,

    /// <summary>None of the above, and nothing any HTTP server reads as a request.</summary>
    Opaque,
}
