using System.Text;

namespace Mesh.E2E.Origin.Lenient;

/// <summary>One request as the lenient origin read it; header names and values are Latin-1 text.</summary>
internal sealed record LenientRequest(string Method, string Target, string Version, IReadOnlyList<(string Name, string Value)> Headers)
{
    public bool IsHttp09 => Version.Length == 0;

    /// <summary>The HTTP/2 prior-knowledge preface read as a request line ("PRI * HTTP/2.0"), as Go's h2c handler reads it.</summary>
    public bool IsHttp2Preface => Method == "PRI" && Target == "*" && Version == "HTTP/2.0";

    /// <summary>All values of a field. Lenient: names match case-insensitively and with '_' read as '-' (as CGI does).</summary>
    public IEnumerable<string> Values(string name, bool lenientNames = true) =>
        Headers.Where(h => NameEquals(h.Name, name, lenientNames)).Select(h => h.Value);

    public string? First(string name, bool lenientNames = true) => Values(name, lenientNames).FirstOrDefault();

    /// <summary>The host the request is for: an absolute-form target's authority, else the Host field.</summary>
    public string? EffectiveHost => TargetAuthority ?? First("Host");

    public string? TargetAuthority
    {
        get
        {
            var scheme = Target.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0) return null;
            var rest = Target[(scheme + 3)..];
            var end = rest.IndexOfAny(['/', '?', '#']);
            return end < 0 ? rest : rest[..end];
        }
    }

    /// <summary>The path as a lenient server routes on it (see <see cref="LenientPath"/>).</summary>
    public string EffectivePath => LenientPath.Normalize(Target);

    private static bool NameEquals(string a, string b, bool lenient) =>
        lenient ? string.Equals(a.Replace('_', '-'), b.Replace('_', '-'), StringComparison.OrdinalIgnoreCase)
                : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);
}
