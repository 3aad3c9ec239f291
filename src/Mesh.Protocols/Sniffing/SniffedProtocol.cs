namespace Mesh.Protocols.Sniffing;

/// <summary>
/// What a connection's first bytes showed: what <see cref="ProtocolSniffer"/> answers, and what the policy core
/// (<c>EgressSnapshot.DecideSniffed</c>) decides on.
/// </summary>
/// <remarks>
/// One type for both, and it lives here, with the sniffer, because the members are exactly what the sniffer can tell
/// apart: a new protocol to recognise starts here. Mesh.Policy depends on Mesh.Protocols for it, which keeps the layers
/// in order: Mesh.Protocols is the bottom layer (pure parsers, no I/O, no dependencies), so the policy core stays free
/// of I/O; the opposite reference would put the wire parsers above the policy model and its YAML loading.
/// </remarks>
public enum SniffedProtocol
{
    /// <summary>
    /// The bytes so far do not tell. To the sniffer's caller: read more. To the policy, the sniff ended here (the sniff
    /// timeout passed, or the client closed): opaque TCP, except on a port with http rules, where it could be HTTP that
    /// nobody inspects, and only a tcp rule allows it. The default, so a result never set is the cautious one.
    /// </summary>
    Undecided,

    /// <summary>A TLS handshake record starting a ClientHello (with or without SNI); read it with <c>SniReader</c>.</summary>
    Tls,

    /// <summary>What some server would read as an HTTP/1 request line; parse it (strictly) with <c>HttpRequestHeadParser</c>.</summary>
    Http1,

    /// <summary>
    /// The HTTP/2 cleartext prior-knowledge connection preface (RFC 9113 §3.3, §3.4). Mesh does not inspect HTTP/2: on
    /// a port with http rules only a tcp rule allows it (never passthrough); elsewhere it is opaque TCP.
    /// </summary>
    Http2PriorKnowledge,

    /// <summary>None of the above, and nothing any HTTP server reads as a request, nor TLS: opaque TCP.</summary>
    Opaque,
}
