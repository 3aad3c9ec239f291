namespace Mesh.Hocon;

/// <summary>
/// A piece of a path expression (a key or a substitution path): unquoted text is split on '.',
/// quoted text never is, and whitespace is kept only between other pieces.
/// </summary>
internal readonly record struct PathPiece(string Text, PathPieceKind Kind)
{
    public static PathPiece Unquoted(string text) => new(text, PathPieceKind.Unquoted);

    public static PathPiece Quoted(string text) => new(text, PathPieceKind.Quoted);

    public static PathPiece Space(string text) => new(text, PathPieceKind.Whitespace);
}

internal enum PathPieceKind
{
    Unquoted,
    Quoted,
    Whitespace,
}
