namespace Mesh.Policy.Decisions;

/// <summary>What the client's first bytes showed.</summary>
public enum SniffedProtocol
{
    /// <summary>No recognisable protocol, or the sniff timed out: opaque TCP.</summary>
    Opaque,

    /// <summary>A TLS ClientHello (with or without SNI).</summary>
    Tls,

    /// <summary>An HTTP/1.x request head.</summary>
    Http1,

    /// <summary>The HTTP/2 cleartext (prior knowledge) preface: treated as opaque for policy, as Mesh does not route h2c per request.</summary>
    Http2Cleartext,
}
