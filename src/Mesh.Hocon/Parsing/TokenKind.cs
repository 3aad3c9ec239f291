namespace Mesh.Hocon;

internal enum TokenKind
{
    Whitespace,
    Newline,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    QuotedString,
    Unquoted,
    Number,
    True,
    False,
    Null,
    Substitution,
    End,
}
