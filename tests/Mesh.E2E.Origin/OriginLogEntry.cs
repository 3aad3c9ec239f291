using System.Text.Json.Serialization;

namespace Mesh.E2E.Origin;

/// <summary>
/// One line of the origin log. Event is "connection" (on accept, before any TLS) or "request" (an HTTP request,
/// with the SNI it arrived under when it came over TLS). Listener is "http", "https" or "server-first".
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
    int? Status = null)
{
    public DateTimeOffset Time { get; init; }
}

/// <summary>Source-generated serialization, so the origin needs no reflection to write its log.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OriginLogEntry))]
internal sealed partial class OriginLogJson : JsonSerializerContext;
