using System.Globalization;
using System.Text;

namespace Mesh.Hocon;

/// <summary>
/// Java .properties files, mapped as the spec's "Java properties mapping" says: keys split on '.'
/// into a path (empty elements kept), values are always strings, and where a key is both a string
/// and an object (<c>a=1</c> and <c>a.b=2</c>) the object wins.
/// </summary>
internal static class PropertiesParser
{
    public static RawObject Parse(string text, string? origin)
    {
        var root = new RawObject(new HoconOrigin(origin, 1, 1));
        foreach (var (key, value, line) in ReadEntries(text.TrimStart('\uFEFF')))
        {
            Set(root, key.Split('.'), value, new HoconOrigin(origin, line, 1));
        }

        return root;
    }

    private static void Set(RawObject root, string[] path, string value, HoconOrigin origin)
    {
        var current = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (!current.Fields.TryGetValue(path[i], out var child) || child is not RawObject childObject)
            {
                childObject = new RawObject(origin);
                current.Fields[path[i]] = childObject;
            }

            current = childObject;
        }

        var leaf = path[^1];
        if (current.Fields.TryGetValue(leaf, out var existing) && existing is RawObject)
        {
            return;
        }

        current.Fields[leaf] = new RawScalar(HoconValueType.String, value, origin);
    }

    private static IEnumerable<(string Key, string Value, int Line)> ReadEntries(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var startLine = i + 1;
            var logical = lines[i].TrimEnd('\r').TrimStart(' ', '\t', '\f');
            if (logical.Length == 0 || logical[0] is '#' or '!')
            {
                continue;
            }

            // A line ending in an odd number of backslashes continues on the next line.
            while (EndsWithContinuation(logical) && i + 1 < lines.Length)
            {
                logical = logical[..^1] + lines[++i].TrimEnd('\r').TrimStart(' ', '\t', '\f');
            }

            if (EndsWithContinuation(logical))
            {
                logical = logical[..^1];
            }

            yield return Split(logical, startLine);
        }
    }

    private static bool EndsWithContinuation(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private static (string Key, string Value, int Line) Split(string line, int lineNumber)
    {
        var keyEnd = 0;
        while (keyEnd < line.Length && line[keyEnd] is not ('=' or ':' or ' ' or '\t' or '\f'))
        {
            keyEnd += line[keyEnd] == '\\' ? 2 : 1;
        }

        keyEnd = Math.Min(keyEnd, line.Length);
        var valueStart = keyEnd;
        while (valueStart < line.Length && line[valueStart] is ' ' or '\t' or '\f')
        {
            valueStart++;
        }

        if (valueStart < line.Length && line[valueStart] is '=' or ':')
        {
            valueStart++;
            while (valueStart < line.Length && line[valueStart] is ' ' or '\t' or '\f')
            {
                valueStart++;
            }
        }

        return (Unescape(line[..keyEnd]), Unescape(line[valueStart..]), lineNumber);
    }

    private static string Unescape(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                sb.Append(text[i]);
                continue;
            }

            var e = text[++i];
            if (e == 'u' && i + 4 < text.Length
                && int.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                sb.Append((char)code);
                i += 4;
                continue;
            }

            sb.Append(e switch { 't' => '\t', 'n' => '\n', 'r' => '\r', 'f' => '\f', _ => e });
        }

        return sb.ToString();
    }
}
