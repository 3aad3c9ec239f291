using System.Text;

namespace Mesh.Hocon;

/// <summary>Quoted and triple-quoted strings.</summary>
internal sealed partial class Lexer
{
    private string ReadQuoted()
    {
        if (Peek(1) == '"' && Peek(2) == '"')
        {
            return ReadTripleQuoted();
        }

        int line = _line, column = _column;
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("the quoted string is never closed with '\"'", line, column);
            }

            var c = _text[_pos];
            if (c == '"')
            {
                Advance();
                return sb.ToString();
            }

            if (c == '\\')
            {
                Advance();
                sb.Append(ReadEscape());
            }
            else if (c == '\n')
            {
                throw Error("a newline is not allowed inside a quoted string; use \\n or a triple-quoted \"\"\"string\"\"\"");
            }
            else if (c < ' ')
            {
                throw Error($"the control character U+{(int)c:X4} must be escaped inside a quoted string");
            }
            else
            {
                sb.Append(c);
                Advance();
            }
        }
    }

    private char ReadEscape()
    {
        if (_pos >= _text.Length)
        {
            throw Error("the input ends in the middle of a backslash escape");
        }

        var e = _text[_pos];
        Advance();
        switch (e)
        {
            case '"' or '\\' or '/':
                return e;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                var code = 0;
                for (var i = 0; i < 4; i++)
                {
                    if (_pos >= _text.Length || !char.IsAsciiHexDigit(_text[_pos]))
                    {
                        throw Error("a \\u escape needs exactly four hexadecimal digits");
                    }

                    code = (code * 16) + Convert.ToInt32(_text[_pos].ToString(), 16);
                    Advance();
                }

                return (char)code;
            default:
                throw Error($"'\\{e}' is not a valid escape; allowed are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
        }
    }

    /// <summary>
    /// Triple-quoted strings are raw (no escapes, newlines kept). A run of three or more quotes closes
    /// the string; quotes in that run beyond the last three belong to the content.
    /// </summary>
    private string ReadTripleQuoted()
    {
        int line = _line, column = _column;
        Advance();
        Advance();
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("the triple-quoted string is never closed with '\"\"\"'", line, column);
            }

            if (_text[_pos] == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                var run = 0;
                while (_pos < _text.Length && _text[_pos] == '"')
                {
                    run++;
                    Advance();
                }

                sb.Append('"', run - 3);
                return sb.ToString();
            }

            sb.Append(_text[_pos]);
            Advance();
        }
    }
}
