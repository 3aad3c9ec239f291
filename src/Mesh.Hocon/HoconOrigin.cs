namespace Mesh.Hocon;

/// <summary>
/// Where a configuration value (or an error) came from: a file (or another named source such as an
/// environment variable) plus a 1-based line and column. Line 0 means "no position inside the source".
/// </summary>
public sealed record HoconOrigin(string? File, int Line, int Column)
{
    /// <summary>A human-readable source name, used when no file name was given (strings parsed in memory).</summary>
    public string SourceName => File ?? "<string>";

    /// <summary>Renders as <c>file:line:column</c>, the form editors and terminals turn into links.</summary>
    public override string ToString() => Line > 0 ? $"{SourceName}:{Line}:{Column}" : SourceName;
}
