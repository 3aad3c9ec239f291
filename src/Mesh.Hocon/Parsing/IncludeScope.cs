namespace Mesh.Hocon;

/// <summary>
/// Where a document's content lands: the path of the include point below <see cref="Anchor"/>, or
/// below the root when there is no anchor. Objects inside lists have no path from the root, so a file
/// included there is anchored to that list element object instead (its substitutions are looked up
/// relative to the element, then from the root).
/// </summary>
internal sealed record IncludeScope(IReadOnlyList<string> Prefix, RawObject? Anchor)
{
    public static IncludeScope Root { get; } = new([], null);

    public IncludeScope Below(IReadOnlyList<string> keys) => keys.Count == 0 ? this : this with { Prefix = [.. Prefix, .. keys] };
}
