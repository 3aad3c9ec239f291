using Mesh.Policy.Loading;
using Mesh.Policy.Model;

namespace Mesh.Kubernetes.Conversion;

/// <summary>An API object read as a Mesh.Policy resource: the resource when valid, else why not (never both).</summary>
public sealed record ConversionResult(MeshResource? Resource, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Resource is not null;

    /// <summary>The errors as one line for a status condition: <c>field: message; field: message</c>.</summary>
    public string Summary => string.Join("; ", Errors.Select(e => e.FieldPath.Length > 0 ? $"{e.FieldPath}: {e.Message}" : e.Message));
}
