namespace Mesh.Hocon;

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>. <see cref="Scope"/> is where the file holding it was
/// included: the spec says such substitutions are first looked up relative to the include point and
/// then, failing that, from the root.
/// </summary>
internal sealed class RawSubstitution(IReadOnlyList<string> path, bool optional, IncludeScope scope, HoconOrigin origin)
    : RawValue(origin)
{
    public IReadOnlyList<string> Path { get; } = path;

    public bool Optional { get; } = optional;

    public IncludeScope Scope { get; } = scope;

    public override string ToString() => "${" + (Optional ? "?" : "") + HoconPath.Render(Path) + "}";
}
