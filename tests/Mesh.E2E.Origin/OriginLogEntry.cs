using System.Text.Json.Serialization;

namespace Mesh.E2E.Origin;

/// <summary>
/// One line of the origin log. Event is "connection" (on accept, before any TLS) or "request" (an HTTP request,
/// with the SNI it arrived under when it came over TLS). Listener is "http", "https" or "server-first", or for the
/// lenient origins "lenient-http" / "literal-http", which add the raw Target, the body Framing they chose and its
/// length, the protocol an Upgrade switched to, and events "h2-preface", "unparsed" (bytes that were no request)
/// and "tunnel" (a switched connection's bytes; Detail holds a printable preview).
/// </summary>
internal sealed record OriginLogEntry(
    string Event,
    string Listener,
    string? Remote,
    string? Local,
    string? Sni = null,
    string? Host = null,
    string? Method = null,
    string? Path = null,
    string? Protocol = null,
    int? Status = null,
    string? Target = null,
    string? Framing = null,
    long? BodyBytes = null,
    string? Upgrade = null,
    string? Detail = null)
{
    public DateTimeOffset Time { get; init; }
}

/// <summary>Source-generated serialization, so the origin needs no reflection to write its log.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OriginLogEntry))]
internal sealed partial class OriginLogJson : JsonSerializerContext;
