namespace Mesh.Policy.Model;

/// <summary>Where an object came from: a file and line for manifests, or an API server for watched objects.</summary>
public sealed record SourceLocation(string Origin, int Line = 0)
{
    public static SourceLocation Unknown { get; } = new("<unknown>");

    public override string ToString() => Line > 0 ? $"{Origin}:{Line}" : Origin;
}
