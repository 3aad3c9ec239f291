namespace Mesh.Hocon;

/// <summary>
/// One leaf of a resolved tree (a scalar, a list or an empty object) with its full path, as enumerated
/// by <see cref="HoconObject.EnumerateLeaves"/>. <see cref="Path"/> is a HOCON path expression (keys
/// quoted where needed); <see cref="Keys"/> holds the raw key of each level.
/// </summary>
public sealed record HoconLeaf(string Path, IReadOnlyList<string> Keys, HoconValue Value)
{
    public HoconOrigin Origin => Value.Origin;
}
