namespace Mesh.Protocols.Http;

/// <summary>The four request-target forms of RFC 9112 §3.2.</summary>
internal enum RequestTargetForm
{
    /// <summary><c>/path?query</c>: the usual form; the authority comes from Host.</summary>
    Origin,

    /// <summary><c>http://host:port/path?query</c>: sent to proxies; the authority comes from the target.</summary>
    Absolute,

    /// <summary><c>host:port</c>: CONNECT only.</summary>
    Authority,

    /// <summary><c>*</c>: server-wide OPTIONS only.</summary>
    Asterisk,
}
