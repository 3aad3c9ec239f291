namespace Mesh.Protocols.Http;

/// <summary>How the end of a message body is found (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    /// <summary>No body follows the head.</summary>
    None,

    /// <summary>Exactly <c>ContentLength</c> bytes follow (possibly zero).</summary>
    ContentLength,

    /// <summary>A chunked body follows; use <see cref="ChunkedBodyReader"/> to find its end.</summary>
    Chunked,

    /// <summary>Responses only: the body runs until the server closes the connection.</summary>
    CloseDelimited,
}
