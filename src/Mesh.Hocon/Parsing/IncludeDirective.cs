namespace Mesh.Hocon;

/// <summary>An <c>include</c> statement's target.</summary>
internal sealed record IncludeDirective(IncludeKind Kind, string Name, bool Required, HoconOrigin Origin)
{
    public override string ToString()
    {
        var inner = Kind == IncludeKind.Heuristic ? $"\"{Name}\"" : $"{Kind.ToString().ToLowerInvariant()}(\"{Name}\")";
        return Required ? $"required({inner})" : inner;
    }
}

internal enum IncludeKind
{
    /// <summary><c>include "name"</c>: relative to the including file, then the resource roots.</summary>
    Heuristic,
    File,
    Url,
    Classpath,
}
