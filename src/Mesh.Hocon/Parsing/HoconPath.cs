using System.Text;

namespace Mesh.Hocon;

/// <summary>Parsing and rendering of path expressions such as <c>a.b."c.d"</c>.</summary>
internal static class HoconPath
{
    public static string[] Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var origin = new HoconOrigin("path expression '" + path + "'", 0, 0);
        List<Token> tokens;
        try
        {
            tokens = Lexer.Tokenize(path, origin.File);
        }
        catch (HoconException ex)
        {
            throw new HoconException($"invalid path expression '{path}': {ex.Reason}", null, ex);
        }

        var pieces = new List<PathPiece>();
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case TokenKind.End:
                    break;
                case TokenKind.Whitespace:
                    pieces.Add(PathPiece.Space(token.Text));
                    break;
                case TokenKind.QuotedString:
                    pieces.Add(PathPiece.Quoted(token.Text));
                    break;
                case TokenKind.Unquoted or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null:
                    pieces.Add(PathPiece.Unquoted(token.Text));
                    break;
                default:
                    throw new HoconException($"invalid path expression '{path}': {token.Describe()} is not allowed in a path");
            }
        }

        try
        {
            return PathBuilder.Build(pieces, origin, "lookup");
        }
        catch (HoconException ex)
        {
            throw new HoconException($"invalid path expression '{path}': {ex.Reason}", null, ex);
        }
    }

    /// <summary>Renders keys as a path expression, quoting keys that would not read back as one element.</summary>
    public static string Render(IEnumerable<string> keys)
    {
        var sb = new StringBuilder();
        foreach (var key in keys)
        {
            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(NeedsQuotes(key) ? HoconRenderer.Quote(key) : key);
        }

        return sb.ToString();
    }

    private static bool NeedsQuotes(string key) =>
        key.Length == 0 || key.StartsWith("//", StringComparison.Ordinal) || key.Contains("//", StringComparison.Ordinal)
        || key.Any(c => c == '.' || CharClass.IsWhitespace(c) || CharClass.IsForbiddenInUnquoted(c) || c < ' ');
}
