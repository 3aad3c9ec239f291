using System.Text;

namespace Mesh.Protocols.Http;

/// <summary>
/// A validated request-target split into ranges relative to the target's first byte.
/// Absent parts have length 0.
/// </summary>
internal readonly record struct RequestTarget(
    RequestTargetForm Form,
    Range Scheme,
    Range Authority,
    Range Path,
    Range Query)
{
    /// <summary>
    /// Validates <paramref name="target"/> for a request with this method. Origin-form and absolute-form
    /// paths keep their raw bytes: the proxy forwards the target untouched, so it must also route on it
    /// untouched (no percent-decoding or dot-segment removal here).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> target, HttpMethodKind method, out RequestTarget result)
    {
        result = default;
        if (target.IsEmpty || target.ContainsAnyExcept(HttpSyntax.TargetChars))
        {
            return false;
        }

        if (method == HttpMethodKind.Connect)
        {
            if (!AuthoritySyntax.IsValidHostAndPort(target, requirePort: true, allowEmptyHost: false))
            {
                return false;
            }

            result = new RequestTarget(RequestTargetForm.Authority, default, Range.All, default, default);
            return true;
        }

        if (target.Length == 1 && target[0] == '*')
        {
            result = new RequestTarget(RequestTargetForm.Asterisk, default, default, default, default);
            return method == HttpMethodKind.Options;
        }

        if (target[0] == '/')
        {
            (Range path, Range query) = SplitQuery(target, 0);
            result = new RequestTarget(RequestTargetForm.Origin, default, default, path, query);
            return true;
        }

        return TryParseAbsolute(target, out result);
    }

    // absolute-URI with an authority: scheme "://" authority path-abempty [ "?" query ]
    private static bool TryParseAbsolute(ReadOnlySpan<byte> target, out RequestTarget result)
    {
        result = default;
        int colon = target.IndexOf("://"u8);
        if (colon <= 0 || !char.IsAsciiLetter((char)target[0]) || !IsSchemeTail(target[1..colon]))
        {
            return false;
        }

        // Only "http": this is a cleartext HTTP hop; another scheme would ask the origin to act as a gateway.
        if (!Ascii.EqualsIgnoreCase(target[..colon], "http"u8))
        {
            return false;
        }

        int authorityStart = colon + 3;
        int authorityLength = target[authorityStart..].IndexOfAny((byte)'/', (byte)'?');
        if (authorityLength < 0)
        {
            authorityLength = target.Length - authorityStart;
        }

        ReadOnlySpan<byte> authority = target.Slice(authorityStart, authorityLength);
        if (!AuthoritySyntax.IsValidHostAndPort(authority, requirePort: false, allowEmptyHost: false))
        {
            return false;
        }

        (Range path, Range query) = SplitQuery(target, authorityStart + authorityLength);
        result = new RequestTarget(
            RequestTargetForm.Absolute, new Range(0, colon), new Range(authorityStart, authorityStart + authorityLength), path, query);
        return true;
    }

    private static bool IsSchemeTail(ReadOnlySpan<byte> tail)
    {
        foreach (byte b in tail)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }

        return true;
    }

    private static (Range Path, Range Query) SplitQuery(ReadOnlySpan<byte> target, int pathStart)
    {
        int question = target[pathStart..].IndexOf((byte)'?');
        return question < 0
            ? (new Range(pathStart, target.Length), new Range(target.Length, target.Length))
            : (new Range(pathStart, pathStart + question), new Range(pathStart + question + 1, target.Length));
    }
}
