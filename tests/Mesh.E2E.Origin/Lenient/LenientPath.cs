using System.Text;

namespace Mesh.E2E.Origin.Lenient;

/// <summary>
/// The path a lenient server routes a request-target to, combining what real servers do: the path of an absolute-form
/// target, query and fragment cut off, every percent-escape decoded (nginx), '\' read as '/' (IIS, some Node
/// routers), ";parameters" cut from every segment (Tomcat, Jetty), runs of '/' merged (nginx), then dot segments
/// removed (RFC 3986 §5.2.4, everyone). A proxy that matched routes on anything else can be walked around.
/// </summary>
internal static class LenientPath
{
    public static string Normalize(string target)
    {
        var path = target;
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path[slash..];
        }
        var cut = path.IndexOfAny(['?', '#']);
        if (cut >= 0) path = path[..cut];
        path = PercentDecode(path).Replace('\\', '/');
        var segments = path.Split('/')
            .Select(s => s.IndexOf(';', StringComparison.Ordinal) is var semi and >= 0 ? s[..semi] : s)
            .ToList();
        var output = new List<string>();
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var last = i == segments.Count - 1;
            switch (segment)
            {
                case "" when i > 0 && !last:
                    continue; // merged slashes
                case ".":
                    if (last) output.Add("");
                    continue;
                case "..":
                    if (output.Count > 1) output.RemoveAt(output.Count - 1);
                    if (last) output.Add("");
                    continue;
                default:
                    output.Add(segment);
                    break;
            }
        }
        var joined = string.Join('/', output);
        return joined.StartsWith('/') ? joined : "/" + joined;
    }

    private static string PercentDecode(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)text[i]);
            }
        }
        // Latin-1 keeps every decoded byte as one char, so "%c0%ae" stays two odd chars rather than a '.'.
        return Encoding.Latin1.GetString(bytes.ToArray());
    }
}
