namespace Mesh.Protocols.Http;

/// <summary>Outcome of feeding bytes to a <see cref="ChunkedBodyReader"/>.</summary>
internal enum ChunkedBodyStatus
{
    /// <summary>All bytes given belong to the body and it has not ended yet.</summary>
    NeedMoreData,

    /// <summary>The body ended (last chunk, trailers, final CRLF) within the bytes given.</summary>
    Complete,

    /// <summary>The body is malformed; the connection cannot be reused or trusted.</summary>
    Invalid,
}
