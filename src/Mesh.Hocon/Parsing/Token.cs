namespace Mesh.Hocon;

/// <summary>
/// One lexical token. <see cref="Text"/> is the decoded content for quoted strings and the source text
/// otherwise. Substitution tokens carry their already-parsed path.
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, int Offset, int Length, int Line, int Column)
{
    public IReadOnlyList<string>? SubstitutionPath { get; init; }

    public bool OptionalSubstitution { get; init; }

    /// <summary>True for text that can start or continue a value or a key (strings, numbers, keywords).</summary>
    public bool IsSimpleValue => Kind is TokenKind.QuotedString or TokenKind.Unquoted or TokenKind.Number
        or TokenKind.True or TokenKind.False or TokenKind.Null;

    /// <summary>How the token is named in error messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of input",
        TokenKind.Newline => "a newline",
        TokenKind.Whitespace => "whitespace",
        TokenKind.QuotedString => $"the quoted string \"{Text}\"",
        TokenKind.Substitution => $"the substitution ${{{Text}}}",
        TokenKind.Unquoted or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null => $"'{Text}'",
        _ => $"'{Text}'",
    };
}
