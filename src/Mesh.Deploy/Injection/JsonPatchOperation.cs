using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mesh.Deploy.Injection;

/// <summary>One RFC 6902 operation, as an AdmissionReview response carries them.</summary>
internal sealed record JsonPatchOperation(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("value")] JsonNode? Value)
{
    /// <summary>RFC 6901: '~' and '/' inside a key are escaped.</summary>
    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
