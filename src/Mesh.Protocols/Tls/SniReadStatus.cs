namespace Mesh.Protocols.Tls;

/// <summary>Outcome of <see cref="SniReader.TryRead"/>.</summary>
internal enum SniReadStatus
{
    /// <summary>The bytes so far are a valid prefix of a ClientHello; call again with more.</summary>
    NeedMoreData,

    /// <summary>A complete, well-formed ClientHello with a valid server_name.</summary>
    Success,

    /// <summary>A complete, well-formed ClientHello without a server_name extension.</summary>
    NoServerName,

    /// <summary>A complete ClientHello whose server_name is not a valid DNS host name (RFC 6066 §3).</summary>
    InvalidServerName,

    /// <summary>The first bytes are not a TLS handshake record carrying a ClientHello (includes SSLv2 hellos).</summary>
    NotTls,

    /// <summary>TLS records, but the ClientHello inside them is malformed.</summary>
    Malformed,

    /// <summary>The ClientHello is longer than the limit given.</summary>
    TooLarge,
}
