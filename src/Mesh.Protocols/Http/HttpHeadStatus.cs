namespace Mesh.Protocols.Http;

/// <summary>Outcome of one incremental attempt to parse an HTTP/1.x message head.</summary>
internal enum HttpHeadStatus
{
    /// <summary>The head is not complete yet and no rule is broken so far; call again with more bytes.</summary>
    NeedMoreData,

    /// <summary>The head is complete and valid; the head object is filled in.</summary>
    Complete,

    /// <summary>The head breaks a rule; the reason says which. The connection must be answered and closed.</summary>
    Rejected,
}
