namespace Mesh.Hocon;

/// <summary>
/// "The value this one overrides": the node <see cref="Base"/> (at <see cref="BasePath"/>, null inside a list) followed
/// by <see cref="Keys"/> into it. Self-referential substitutions resolve against it, and objects
/// merge over it.
/// </summary>
internal sealed record Fallback(RawValue Base, IReadOnlyList<string>? BasePath, IReadOnlyList<string> Keys)
{
    public Fallback Child(string key) => this with { Keys = [.. Keys, key] };

    public IReadOnlyList<string>? FullPath => BasePath is null ? null : [.. BasePath, .. Keys];
}
