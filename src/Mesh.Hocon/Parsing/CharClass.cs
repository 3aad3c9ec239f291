using System.Globalization;

namespace Mesh.Hocon;

/// <summary>Character classes from the spec's "Whitespace" and "Unquoted strings" sections.</summary>
internal static class CharClass
{
    /// <summary>
    /// Spec whitespace: Unicode space/line/paragraph separators, the BOM, the ASCII control whitespace
    /// and the file/group/record/unit separators 0x1C–0x1F. Only '\n' is a newline.
    /// </summary>
    public static bool IsWhitespace(char c)
    {
        switch (c)
        {
            case ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '\uFEFF':
            case >= '\u001C' and <= '\u001F':
                return true;
            default:
                var category = char.GetUnicodeCategory(c);
                return category is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                    or UnicodeCategory.ParagraphSeparator;
        }
    }

    /// <summary>Characters that may not appear in unquoted text (they are syntax, or reserved).</summary>
    public static bool IsForbiddenInUnquoted(char c) => c is '$' or '"' or '{' or '}' or '[' or ']' or ':' or '='
        or ',' or '+' or '#' or '`' or '^' or '?' or '!' or '@' or '*' or '&' or '\\';
}
