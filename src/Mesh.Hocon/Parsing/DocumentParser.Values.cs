using System.Text;

namespace Mesh.Hocon;

/// <summary>Values: simple values, value concatenations, lists and object values.</summary>
internal sealed partial class DocumentParser
{
    /// <summary>
    /// Reads a value concatenation: everything up to the end of the line (or a ',', '}' or ']').
    /// Returns null when there is no value at all.
    /// </summary>
    /// <param name="path">The path the value is assigned to (for '+=' inside object values), or null in a list.</param>
    /// <param name="scope">Where includes inside an object value land, or null in a list.</param>
    private RawValue? ParseValue(IReadOnlyList<string>? path, IncludeScope? scope)
    {
        var parts = new List<RawValue>();
        while (true)
        {
            var token = Peek;
            var origin = OriginOf(token);
            switch (token.Kind)
            {
                case TokenKind.Whitespace:
                    parts.Add(new RawScalar(HoconValueType.String, token.Text, origin, isWhitespace: true));
                    break;
                case TokenKind.QuotedString or TokenKind.Unquoted:
                    parts.Add(new RawScalar(HoconValueType.String, token.Text, origin));
                    break;
                case TokenKind.Number:
                    parts.Add(new RawScalar(HoconValueType.Number, token.Text, origin));
                    break;
                case TokenKind.True or TokenKind.False:
                    parts.Add(new RawScalar(HoconValueType.Boolean, token.Text, origin));
                    break;
                case TokenKind.Null:
                    parts.Add(new RawScalar(HoconValueType.Null, token.Text, origin));
                    break;
                case TokenKind.Substitution:
                    parts.Add(new RawSubstitution(token.SubstitutionPath!, token.OptionalSubstitution, _scope, origin));
                    break;
                case TokenKind.OpenBrace:
                    parts.Add(ParseBracedObject(path, scope));
                    continue;
                case TokenKind.OpenBracket:
                    parts.Add(ParseList());
                    continue;
                default:
                    return BuildConcatenation(parts);
            }

            Next();
        }
    }

    private RawList ParseList()
    {
        var open = Next();
        Enter(open);
        var items = new List<RawValue>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (token.Kind == TokenKind.CloseBracket)
            {
                Next();
                break;
            }

            if (token.Kind == TokenKind.End)
            {
                throw Error("this '[' is never closed with ']'", open);
            }

            if (token.Kind == TokenKind.Comma)
            {
                throw Error("unexpected ',' in a list: expected a value (a comma may not start a list or follow another comma)", token);
            }

            var item = ParseValue(null, null) ?? throw Error($"expected a list element or ']', found {token.Describe()}", token);
            items.Add(item);
            SkipWhitespace();
            token = Peek;
            if (token.Kind == TokenKind.Comma)
            {
                Next();
            }
            else if (token.Kind is not (TokenKind.Newline or TokenKind.CloseBracket))
            {
                throw Error($"expected ',' or ']' after a list element, found {token.Describe()}", token);
            }
        }

        _nesting--;
        return new RawList(items, OriginOf(open));
    }

    /// <summary>
    /// Trims outer whitespace, keeps a single value as it is (so it keeps its type), folds a run of
    /// simple values into one string, and rejects mixes of text with objects or lists right away.
    /// </summary>
    private static RawValue? BuildConcatenation(List<RawValue> parts)
    {
        var first = parts.FindIndex(part => part is not RawScalar { IsWhitespace: true });
        if (first < 0)
        {
            return null;
        }

        var last = parts.FindLastIndex(part => part is not RawScalar { IsWhitespace: true });
        parts = parts.GetRange(first, last - first + 1);
        if (parts.Count == 1)
        {
            return parts[0];
        }

        if (parts.TrueForAll(part => part is RawScalar))
        {
            var text = new StringBuilder();
            foreach (var part in parts)
            {
                text.Append(((RawScalar)part).Text);
            }

            return new RawScalar(HoconValueType.String, text.ToString(), parts[0].Origin);
        }

        var complex = parts.Find(part => part is RawObject or RawList);
        var textPart = parts.Find(part => part is RawScalar { IsWhitespace: false });
        if (complex is not null && textPart is not null)
        {
            var what = complex is RawObject ? "an object" : "a list";
            throw new HoconException(
                $"cannot concatenate the text '{((RawScalar)textPart).Text}' with {what} (did you forget a ':' or a newline?)",
                textPart.Origin);
        }

        return new RawConcat(parts, parts[0].Origin);
    }
}
