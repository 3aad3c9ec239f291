using System.Text;

namespace Mesh.Hocon;

/// <summary>
/// Builds a path (list of keys) from the pieces of a path expression, following the spec's "Path
/// expressions": '.' splits only outside quotes, outer whitespace is dropped, inner whitespace is kept,
/// and an empty element is only allowed when it is quoted (<c>a."".b</c>).
/// </summary>
internal static class PathBuilder
{
    public static string[] Build(IReadOnlyList<PathPiece> pieces, HoconOrigin origin, string what)
    {
        int first = 0, last = pieces.Count - 1;
        while (first <= last && pieces[first].Kind == PathPieceKind.Whitespace)
        {
            first++;
        }

        while (last >= first && pieces[last].Kind == PathPieceKind.Whitespace)
        {
            last--;
        }

        if (first > last)
        {
            throw new HoconException($"the {what} path is empty; quote an empty key as \"\"", origin);
        }

        var keys = new List<string>();
        var current = new StringBuilder();
        var currentQuoted = false;
        for (var i = first; i <= last; i++)
        {
            var piece = pieces[i];
            if (piece.Kind != PathPieceKind.Unquoted)
            {
                current.Append(piece.Text);
                currentQuoted |= piece.Kind == PathPieceKind.Quoted;
                continue;
            }

            var parts = piece.Text.Split('.');
            for (var p = 0; p < parts.Length; p++)
            {
                if (p > 0)
                {
                    Finish();
                }

                current.Append(parts[p]);
            }
        }

        Finish();
        return [.. keys];

        void Finish()
        {
            if (current.Length == 0 && !currentQuoted)
            {
                throw new HoconException(
                    $"the {what} path has an empty element (a leading, trailing or doubled '.'); quote an empty key as \"\"",
                    origin);
            }

            keys.Add(current.ToString());
            current.Clear();
            currentQuoted = false;
        }
    }
}
