using Mesh.Policy.Model;

namespace Mesh.Policy.Loading;

/// <summary>A document of a kind Mesh does not act on (a Deployment, a Namespace, ...), kept for reporting.</summary>
public sealed record IgnoredObject(SourceLocation Source, string ApiVersion, string Kind, string? Name);

/// <summary>
/// What one file or stream held. <see cref="SyntaxError"/> is set when the stream could not be read as YAML/JSON at
/// all: then nothing in it is known, and a watcher keeps what the file last defined.
/// </summary>
public sealed record ManifestLoadResult(
    IReadOnlyList<MeshResource> Resources,
    IReadOnlyList<ValidationError> Errors,
    IReadOnlyList<IgnoredObject> Ignored,
    ValidationError? SyntaxError = null)
{
    public bool IsReadable => SyntaxError is null;
}
