using System.Buffers;
using System.Text.Unicode;

namespace Mesh.Protocols.Http;

/// <summary>
/// The path a route is matched on, read from a request path (without its query) so that no origin can route the
/// request to a path the proxy did not match.
/// <code>
/// bool TryRead(ReadOnlySpan&lt;byte&gt; path, Span&lt;byte&gt; decoded, out int decodedLength, Span&lt;byte&gt; plain, out int plainLength)
/// </code>
/// Both outputs need <c>path.Length</c> bytes. <c>decoded</c> is the path with every percent-escape decoded (what
/// nginx and most frameworks route on; "/g%65t" is "/get"). <c>plain</c> is that path with ";parameters" cut from
/// every segment (Tomcat, Jetty) and runs of '/' merged (nginx); a route must match both readings. False when no
/// reading is safe, and the request is refused: a dot segment ("." or "..", escaped or with ";parameters" too), an
/// escaped '/' or '\', a '\' at all (read as '/' by some servers), an escaped control byte, a malformed or double
/// escape ("%252e" is "%2e" to a server that decodes twice), or escapes that are not UTF-8 (overlong "%c0%ae" is '.'
/// to some).
/// </summary>
internal static class RoutePath
{
    private static readonly SearchValues<byte> Forbidden =
        SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), 0x7F, (byte)'/', (byte)'\\']);

    public static bool TryRead(ReadOnlySpan<byte> path, Span<byte> decoded, out int decodedLength, Span<byte> plain, out int plainLength)
    {
        decodedLength = plainLength = 0;
        if (path.Contains((byte)'\\'))
        {
            return false;
        }

        int length = 0;
        for (int i = 0; i < path.Length; i++)
        {
            byte b = path[i];
            if (b == '%')
            {
                if (i + 2 >= path.Length || HexValue(path[i + 1]) < 0 || HexValue(path[i + 2]) < 0)
                {
                    return false;
                }

                b = (byte)((HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]));
                if (Forbidden.Contains(b))
                {
                    return false;
                }

                i += 2;
            }

            decoded[length++] = b;
        }

        ReadOnlySpan<byte> result = decoded[..length];
        if (!Utf8.IsValid(result) || HasEscape(result) || HasDotSegment(result))
        {
            return false;
        }

        decodedLength = length;
        plainLength = Plain(result, plain);
        return true;
    }

    // A '%' and two hex digits left after decoding: a server that decodes twice sees another byte there.
    private static bool HasEscape(ReadOnlySpan<byte> decoded)
    {
        for (int i = decoded.IndexOf((byte)'%'); i >= 0; i = Next(decoded, i))
        {
            if (i + 2 < decoded.Length && HexValue(decoded[i + 1]) >= 0 && HexValue(decoded[i + 2]) >= 0)
            {
                return true;
            }
        }

        return false;

        static int Next(ReadOnlySpan<byte> text, int at)
        {
            int next = text[(at + 1)..].IndexOf((byte)'%');
            return next < 0 ? -1 : at + 1 + next;
        }
    }

    private static bool HasDotSegment(ReadOnlySpan<byte> decoded)
    {
        foreach (Range range in decoded.Split((byte)'/'))
        {
            ReadOnlySpan<byte> segment = decoded[range];
            int parameters = segment.IndexOf((byte)';');
            if (parameters >= 0)
            {
                segment = segment[..parameters];
            }

            if (segment is [(byte)'.'] or [(byte)'.', (byte)'.'])
            {
                return true;
            }
        }

        return false;
    }

    private static int Plain(ReadOnlySpan<byte> decoded, Span<byte> plain)
    {
        int length = 0;
        bool inParameters = false;
        foreach (byte b in decoded)
        {
            if (b == '/')
            {
                inParameters = false;
                if (length > 0 && plain[length - 1] == '/')
                {
                    continue;
                }
            }
            else if (b == ';' || inParameters)
            {
                inParameters = true;
                continue;
            }

            plain[length++] = b;
        }

        return length;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
