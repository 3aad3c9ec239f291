namespace Mesh.Policy.Model;

/// <summary>
/// A host in <c>spec.hosts</c>: an exact DNS name, or <c>*.suffix</c> which matches one or more labels below
/// the suffix (not the suffix itself). Stored lower-case; matching is case-insensitive.
/// </summary>
public readonly record struct HostPattern
{
    private HostPattern(string text, bool isWildcard)
    {
        Text = text;
        IsWildcard = isWildcard;
    }

    /// <summary>The exact name, or for a wildcard the suffix without <c>*.</c>.</summary>
    public string Text { get; }

    public bool IsWildcard { get; }

    public static bool TryParse(string? text, out HostPattern pattern, out string? error)
    {
        pattern = default;
        var value = text?.Trim().TrimEnd('.').ToLowerInvariant() ?? "";
        var wildcard = value.StartsWith("*.", StringComparison.Ordinal);
        var name = wildcard ? value[2..] : value;
        if (!IsDnsName(name))
        {
            error = $"'{text}' is not a host name or *.domain wildcard";
            return false;
        }
        pattern = new HostPattern(name, wildcard);
        error = null;
        return true;
    }

    public static HostPattern Parse(string text) =>
        TryParse(text, out var p, out var error) ? p : throw new FormatException(error);

    public bool Matches(ReadOnlySpan<char> host)
    {
        host = host.TrimEnd('.');
        if (!IsWildcard) return host.Equals(Text, StringComparison.OrdinalIgnoreCase);
        return host.Length > Text.Length + 1 &&
               host[^(Text.Length + 1)] == '.' &&
               host[^Text.Length..].Equals(Text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>RFC 1123 labels (letters, digits, hyphen; underscores tolerated as real DNS does).</summary>
    internal static bool IsDnsName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > 253) return false;
        foreach (var range in name.Split('.'))
        {
            var label = name[range];
            if (label.IsEmpty || label.Length > 63 || label[0] == '-' || label[^1] == '-') return false;
            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')) return false;
            }
        }
        return true;
    }

    public override string ToString() => IsWildcard ? "*." + Text : Text;
}
