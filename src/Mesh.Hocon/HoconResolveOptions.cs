namespace Mesh.Hocon;

/// <summary>How substitutions are resolved.</summary>
public sealed class HoconResolveOptions
{
    public static HoconResolveOptions Default { get; } = new();

    /// <summary>Resolution without any environment fallback (the reference implementation's "noSystem").</summary>
    public static HoconResolveOptions NoEnvironment { get; } = new() { UseEnvironment = false };

    /// <summary>
    /// Whether a substitution that is not found in the configuration falls back to an environment
    /// variable of the same name (<c>${HOME}</c>, or <c>${a.b}</c> to the variable <c>a.b</c>). On by
    /// default, as the spec requires.
    /// </summary>
    public bool UseEnvironment { get; init; } = true;

    /// <summary>The variables to use instead of the process environment (for tests and tools).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}
