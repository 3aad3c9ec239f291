using System.Buffers;

namespace Mesh.Protocols.Http;

/// <summary>
/// Validates <c>uri-host [ ":" port ]</c> (RFC 3986 §3.2.2–3.2.3) as found in Host fields, absolute-form
/// targets and CONNECT's authority-form. Userinfo is not accepted: it is deprecated for http(s) and a
/// classic way to make a URL's host read differently to different parsers. A name is also held to what DNS names
/// are (letters, digits, '-', '.', and '_' as some internal names use): RFC 3986 also allows percent-escapes and
/// sub-delims (",;!$&'()*+="), which no client sends for a real host and some servers decode or split on, so
/// "httpbin%2Eorg" or "httpbin.org,other" could be served as a host no rule was asked about.
/// </summary>
internal static class AuthoritySyntax
{
    // A DNS name (see above), not all of RFC 3986 reg-name.
    private static readonly SearchValues<byte> RegNameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._"u8);

    // IPv6address and IPv4address characters; IPvFuture is not supported.
    private static readonly SearchValues<byte> IpLiteralChars = SearchValues.Create("0123456789ABCDEFabcdef:."u8);

    /// <summary>True when <paramref name="authority"/> is a valid host with optional (or, if required, mandatory) port.</summary>
    public static bool IsValidHostAndPort(ReadOnlySpan<byte> authority, bool requirePort, bool allowEmptyHost)
    {
        ReadOnlySpan<byte> host;
        ReadOnlySpan<byte> rest;
        if (!authority.IsEmpty && authority[0] == '[')
        {
            int close = authority.IndexOf((byte)']');
            if (close < 3 || authority[1..close].ContainsAnyExcept(IpLiteralChars) || !authority[1..close].Contains((byte)':'))
            {
                return false;
            }

            host = authority[..(close + 1)];
            rest = authority[(close + 1)..];
        }
        else
        {
            int colon = authority.IndexOf((byte)':');
            host = colon < 0 ? authority : authority[..colon];
            rest = colon < 0 ? default : authority[colon..];
            if (!IsRegName(host))
            {
                return false;
            }
        }

        if (host.IsEmpty && !allowEmptyHost)
        {
            return false;
        }

        if (rest.IsEmpty)
        {
            return !requirePort;
        }

        // port = *DIGIT, but an empty or out-of-range port is useless to route on.
        return rest[0] == ':' && rest.Length is >= 2 and <= 6
            && HttpSyntax.TryParseDecimal(rest[1..], out long port) && port <= 65535;
    }

    private static bool IsRegName(ReadOnlySpan<byte> host) => !host.ContainsAnyExcept(RegNameChars);
}
