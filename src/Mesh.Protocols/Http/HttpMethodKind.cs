namespace Mesh.Protocols.Http;

/// <summary>The registered methods the proxy treats specially; anything else is <see cref="Other"/>.</summary>
internal enum HttpMethodKind
{
    Other,
    Get,
    Head,
    Post,
    Put,
    Delete,
    Connect,
    Options,
    Trace,
    Patch,
}

internal static class HttpMethods
{
    /// <summary>Classifies a method token. Methods are case-sensitive (RFC 9110 §9.1), so "get" is Other.</summary>
    public static HttpMethodKind Classify(ReadOnlySpan<byte> method) => method.Length switch
    {
        3 when method.SequenceEqual("GET"u8) => HttpMethodKind.Get,
        3 when method.SequenceEqual("PUT"u8) => HttpMethodKind.Put,
        4 when method.SequenceEqual("HEAD"u8) => HttpMethodKind.Head,
        4 when method.SequenceEqual("POST"u8) => HttpMethodKind.Post,
        5 when method.SequenceEqual("TRACE"u8) => HttpMethodKind.Trace,
        5 when method.SequenceEqual("PATCH"u8) => HttpMethodKind.Patch,
        6 when method.SequenceEqual("DELETE"u8) => HttpMethodKind.Delete,
        7 when method.SequenceEqual("CONNECT"u8) => HttpMethodKind.Connect,
        7 when method.SequenceEqual("OPTIONS"u8) => HttpMethodKind.Options,
        _ => HttpMethodKind.Other,
    };
}
