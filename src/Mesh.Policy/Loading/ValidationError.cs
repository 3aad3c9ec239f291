using Mesh.Policy.Model;

namespace Mesh.Policy.Loading;

/// <summary>
/// Why an object (or a whole file) was rejected: where it came from, which object, which field, and what is wrong.
/// <see cref="Key"/> is known when the object's kind and metadata could be read, so a watcher can keep the last
/// accepted version of exactly that object in force.
/// </summary>
public sealed record ValidationError(SourceLocation Source, ResourceKey? Key, string FieldPath, string Message)
{
    public override string ToString()
    {
        var subject = Key is { } k ? $"{k.Kind} {k.Namespace}/{k.Name}: " : "";
        var field = FieldPath.Length > 0 ? $"{FieldPath}: " : "";
        return $"{Source}: {subject}{field}{Message}";
    }
}
