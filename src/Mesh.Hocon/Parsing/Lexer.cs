using System.Text.RegularExpressions;

namespace Mesh.Hocon;

/// <summary>
/// Turns HOCON text into tokens. Comments are dropped (they always run to a newline, which stays a
/// token, so they still end a value). Substitutions are lexed whole, with their path already split.
/// </summary>
internal sealed partial class Lexer
{
    private readonly string _text;
    private readonly string? _file;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private Lexer(string text, string? file)
    {
        _text = text;
        _file = file;
    }

    public static List<Token> Tokenize(string text, string? file)
    {
        var lexer = new Lexer(text, file);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            int start = _pos, line = _line, column = _column;
            if (c == '\n')
            {
                Advance();
                Add(TokenKind.Newline, "\n", start, line, column);
            }
            else if (CharClass.IsWhitespace(c))
            {
                while (_pos < _text.Length && _text[_pos] != '\n' && CharClass.IsWhitespace(_text[_pos]))
                {
                    Advance();
                }

                Add(TokenKind.Whitespace, _text[start.._pos], start, line, column);
            }
            else if (c == '#' || StartsDoubleSlash())
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    Advance();
                }
            }
            else if (c == '"')
            {
                Add(TokenKind.QuotedString, ReadQuoted(), start, line, column);
            }
            else if (c == '$')
            {
                ReadSubstitution(start, line, column);
            }
            else if (PunctuationKind(c) is { } kind)
            {
                Advance();
                Add(kind, c.ToString(), start, line, column);
            }
            else if (c == '+' && Peek(1) == '=')
            {
                Advance();
                Advance();
                Add(TokenKind.PlusEquals, "+=", start, line, column);
            }
            else if (CharClass.IsForbiddenInUnquoted(c))
            {
                throw Error($"the character '{c}' is reserved and not allowed in unquoted text; put the text in double quotes");
            }
            else
            {
                var text = ReadUnquoted();
                Add(Classify(text), text, start, line, column);
            }
        }

        _tokens.Add(new Token(TokenKind.End, "", _pos, 0, _line, _column));
    }

    private static TokenKind? PunctuationKind(char c) => c switch
    {
        '{' => TokenKind.OpenBrace,
        '}' => TokenKind.CloseBrace,
        '[' => TokenKind.OpenBracket,
        ']' => TokenKind.CloseBracket,
        ',' => TokenKind.Comma,
        ':' => TokenKind.Colon,
        '=' => TokenKind.Equals,
        _ => null,
    };

    private static TokenKind Classify(string text) => text switch
    {
        "true" => TokenKind.True,
        "false" => TokenKind.False,
        "null" => TokenKind.Null,
        _ when NumberPattern().IsMatch(text) => TokenKind.Number,
        _ => TokenKind.Unquoted,
    };

    /// <summary>Unquoted text runs until whitespace, a reserved character or "//".</summary>
    private string ReadUnquoted()
    {
        var start = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            var exponentSign = c == '+' && NumberWithExponentPattern().IsMatch(_text.AsSpan(start, _pos - start));
            if (CharClass.IsWhitespace(c) || (CharClass.IsForbiddenInUnquoted(c) && !exponentSign) || StartsDoubleSlash())
            {
                break;
            }

            Advance();
        }

        return _text[start.._pos];
    }

    private void ReadSubstitution(int start, int line, int column)
    {
        if (Peek(1) != '{')
        {
            throw Error("'$' is only allowed at the start of a substitution '${path}'; put literal text in double quotes");
        }

        Advance();
        Advance();
        var optional = false;
        if (_pos < _text.Length && _text[_pos] == '?')
        {
            optional = true;
            Advance();
        }

        var pieces = new List<PathPiece>();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("the substitution '${' is never closed with '}'", line, column);
            }

            var c = _text[_pos];
            if (c == '}')
            {
                Advance();
                break;
            }

            if (c == '\n')
            {
                throw Error("a substitution '${...}' must be closed on the same line");
            }

            if (CharClass.IsWhitespace(c))
            {
                var wsStart = _pos;
                while (_pos < _text.Length && _text[_pos] != '\n' && CharClass.IsWhitespace(_text[_pos]))
                {
                    Advance();
                }

                pieces.Add(PathPiece.Space(_text[wsStart.._pos]));
            }
            else if (c == '"')
            {
                pieces.Add(PathPiece.Quoted(ReadQuoted()));
            }
            else if (c == '#' || StartsDoubleSlash())
            {
                throw Error("a comment is not allowed inside a substitution '${...}'");
            }
            else if (CharClass.IsForbiddenInUnquoted(c) || c == '{')
            {
                throw Error($"the character '{c}' is not allowed in a substitution path; quote the key");
            }
            else
            {
                pieces.Add(PathPiece.Unquoted(ReadUnquoted()));
            }
        }

        var origin = new HoconOrigin(_file, line, column);
        var path = PathBuilder.Build(pieces, origin, "substitution");
        _tokens.Add(new Token(TokenKind.Substitution, (optional ? "?" : "") + HoconPath.Render(path), start, _pos - start, line, column)
        {
            SubstitutionPath = path,
            OptionalSubstitution = optional,
        });
    }

    private bool StartsDoubleSlash() => _text[_pos] == '/' && Peek(1) == '/';

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private void Advance()
    {
        if (_text[_pos] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        _pos++;
    }

    private void Add(TokenKind kind, string text, int start, int line, int column) =>
        _tokens.Add(new Token(kind, text, start, _pos - start, line, column));

    private HoconException Error(string reason) => Error(reason, _line, _column);

    private HoconException Error(string reason, int line, int column) => new(reason, new HoconOrigin(_file, line, column));

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?[eE]$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberWithExponentPattern();
}
