using System.Text;

namespace Mesh.Hocon;

/// <summary>Reads and parses one document in the syntax its file extension selects.</summary>
internal static class DocumentLoader
{
    public static ConfigSyntax SyntaxOf(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".JSON" => ConfigSyntax.Json,
        ".PROPERTIES" => ConfigSyntax.Properties,
        _ => ConfigSyntax.Hocon,
    };

    /// <summary>Parses a file (its includes relative to its own directory).</summary>
    public static RawObject LoadFile(string path, HoconParseOptions options, int depth, IncludeScope scope)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new HoconException($"cannot read the file: {ex.Message}", new HoconOrigin(fullPath, 0, 0), ex);
        }

        var loader = new IncludeLoader(options, Path.GetDirectoryName(fullPath), depth);
        return ParseText(text, fullPath, SyntaxOf(fullPath), loader, scope);
    }

    public static RawObject ParseText(string text, string? origin, ConfigSyntax syntax, IncludeLoader includes, IncludeScope scope)
    {
        switch (syntax)
        {
            case ConfigSyntax.Properties:
                return PropertiesParser.Parse(text, origin);
            case ConfigSyntax.Json:
                JsonSyntaxCheck.Validate(text, origin);
                // Valid JSON is valid HOCON with the same meaning, so the HOCON parser builds the
                // tree (and records line numbers); JSON has no includes or substitutions to act on.
                return DocumentParser.Parse(text, origin, includes, scope);
            default:
                return DocumentParser.Parse(text, origin, includes, scope);
        }
    }
}
