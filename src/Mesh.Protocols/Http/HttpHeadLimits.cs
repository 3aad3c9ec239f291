namespace Mesh.Protocols.Http;

/// <summary>
/// Size limits applied while parsing a message head. They bound both memory and the work done on
/// hostile input: nothing beyond <see cref="MaxHeadSize"/> bytes is ever examined.
/// </summary>
internal sealed record HttpHeadLimits
{
    public static HttpHeadLimits Default { get; } = new();

    /// <summary>Longest request line or status line, excluding its CRLF.</summary>
    public int MaxStartLineLength { get; init; } = 8 * 1024;

    /// <summary>Longest head, from the first byte through the blank line that ends it.</summary>
    public int MaxHeadSize { get; init; } = 16 * 1024;

    /// <summary>Most header field lines accepted.</summary>
    public int MaxHeaderCount { get; init; } = 100;
}
