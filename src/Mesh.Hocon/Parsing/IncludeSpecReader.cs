namespace Mesh.Hocon;

/// <summary>
/// Reads the argument of an <c>include</c>: a quoted string, or <c>file("…")</c>, <c>url("…")</c>,
/// <c>classpath("…")</c>, optionally wrapped in <c>required(…)</c>. Parentheses lex as part of
/// unquoted text (<c>required(file(</c> is one token), so this walks that text character-wise.
/// </summary>
internal sealed class IncludeSpecReader(List<Token> tokens, int index, string? file)
{
    private string _pending = "";
    private Token _current = tokens[index];

    /// <summary>The index of the first token after the include argument.</summary>
    public int Index => index;

    public IncludeDirective Read()
    {
        var directive = ReadSpec(allowRequired: true);
        if (_pending.Length > 0)
        {
            throw Error($"unexpected '{_pending}' after the include argument");
        }

        return directive;
    }

    private IncludeDirective ReadSpec(bool allowRequired)
    {
        SkipSpaces();
        var origin = new HoconOrigin(file, tokens[index].Line, tokens[index].Column);
        if (_pending.Length == 0 && tokens[index].Kind == TokenKind.QuotedString)
        {
            return new IncludeDirective(IncludeKind.Heuristic, tokens[index++].Text, false, origin);
        }

        var word = ReadWord();
        var kind = word switch
        {
            "file" => IncludeKind.File,
            "url" => IncludeKind.Url,
            "classpath" => IncludeKind.Classpath,
            "required" when allowRequired => (IncludeKind?)null,
            _ => throw Error(word.Length == 0
                ? $"include must be followed by a quoted file name or file(), url(), classpath() or required(), found {_current.Describe()}"
                : $"'{word}' is not a valid include form; use \"name\", file(\"…\"), url(\"…\"), classpath(\"…\") or required(…)"),
        };
        if (!_pending.StartsWith('('))
        {
            throw Error($"expected '(' directly after '{word}' (no space allowed)");
        }

        _pending = _pending[1..];
        IncludeDirective result;
        if (kind is null)
        {
            result = ReadSpec(allowRequired: false) with { Required = true };
        }
        else
        {
            SkipSpaces();
            if (_pending.Length > 0 || tokens[index].Kind != TokenKind.QuotedString)
            {
                throw Error($"the argument of {word}(…) must be a quoted string");
            }

            result = new IncludeDirective(kind.Value, tokens[index++].Text, false, origin);
        }

        SkipSpaces();
        if (_pending.Length == 0)
        {
            if (tokens[index].Kind != TokenKind.Unquoted)
            {
                throw Error($"expected ')' to close {word}(, found {tokens[index].Describe()}");
            }

            _current = tokens[index];
            _pending = tokens[index++].Text;
        }

        if (!_pending.StartsWith(')'))
        {
            throw Error($"expected ')' to close {word}(");
        }

        _pending = _pending[1..];
        return result;
    }

    private string ReadWord()
    {
        if (_pending.Length == 0)
        {
            if (tokens[index].Kind != TokenKind.Unquoted)
            {
                _current = tokens[index];
                return "";
            }

            _current = tokens[index];
            _pending = tokens[index++].Text;
        }

        var length = 0;
        while (length < _pending.Length && char.IsAsciiLetter(_pending[length]))
        {
            length++;
        }

        var word = _pending[..length];
        _pending = _pending[length..];
        return word;
    }

    private void SkipSpaces()
    {
        while (_pending.Length == 0 && tokens[index].Kind == TokenKind.Whitespace)
        {
            index++;
        }
    }

    private HoconException Error(string reason) => new(reason, new HoconOrigin(file, _current.Line, _current.Column));
}
