namespace Mesh.Hocon;

/// <summary>Where includes are looked for.</summary>
public sealed class HoconParseOptions
{
    public static HoconParseOptions Default { get; } = new();

    /// <summary>
    /// Directory that heuristic includes (<c>include "x.conf"</c>) in text parsed from a string are
    /// relative to. Files always use their own directory. Null means the current directory.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>
    /// Ordered directories that stand in for the JVM classpath: <c>classpath("x")</c> looks only here,
    /// and a heuristic include that finds nothing next to the including file falls back to them.
    /// When empty, <c>classpath("x")</c> is resolved relative to the including file's directory.
    /// </summary>
    public IReadOnlyList<string> ResourceRoots { get; init; } = [];

    /// <summary>Directory that <c>file("x")</c> is relative to (as in the spec: the process working directory by default).</summary>
    public string? WorkingDirectory { get; init; }
}
