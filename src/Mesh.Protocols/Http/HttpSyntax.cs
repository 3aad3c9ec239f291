using System.Buffers;

namespace Mesh.Protocols.Http;

/// <summary>
/// Character classes of RFC 9110 §5.6 / RFC 9112 as vectorizable <see cref="SearchValues{T}"/>,
/// so validating a token or a field value is a single IndexOfAny call rather than a per-byte branch.
/// </summary>
internal static class HttpSyntax
{
    /// <summary>tchar: the characters allowed in methods, field names and transfer-coding names.</summary>
    public static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Controls that may not appear in a field value (everything below SP except HTAB, plus DEL).</summary>
    public static readonly SearchValues<byte> FieldValueForbidden = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F]);

    /// <summary>
    /// Bytes allowed in a request-target: visible ASCII minus '#' (fragments are never sent on the wire,
    /// and letting one through would make the proxy's route match and the origin's disagree).
    /// </summary>
    public static readonly SearchValues<byte> TargetChars = SearchValues.Create(
        "!\"$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    public static bool IsToken(ReadOnlySpan<byte> span) => !span.IsEmpty && !span.ContainsAnyExcept(TokenChars);

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>Trims optional whitespace (SP / HTAB) from both ends.</summary>
    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> span) => span.Trim(" \t"u8);

    /// <summary>
    /// Splits the next element off a comma-separated list (RFC 9110 §5.6.1), trimming OWS.
    /// Empty elements are returned as empty spans; callers decide whether those are tolerated.
    /// </summary>
    public static bool TryNextListElement(ref ReadOnlySpan<byte> list, out ReadOnlySpan<byte> element)
    {
        if (list.IsEmpty)
        {
            element = default;
            return false;
        }

        int comma = list.IndexOf((byte)',');
        if (comma < 0)
        {
            element = TrimOws(list);
            list = default;
        }
        else
        {
            element = TrimOws(list[..comma]);
            list = list[(comma + 1)..];
            if (list.IsEmpty)
            {
                // A trailing comma is an empty element; report it on the next call so "a," is two elements.
                list = " "u8;
            }
        }

        return true;
    }

    /// <summary>Parses 1*DIGIT into a non-negative long; false on any other byte or on overflow.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9 || value > (long.MaxValue - d) / 10)
            {
                value = 0;
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }

    /// <summary>HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), case-sensitive.</summary>
    public static bool TryParseVersion(ReadOnlySpan<byte> version, out int major, out int minor)
    {
        major = minor = 0;
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || version[6] != '.'
            || !char.IsAsciiDigit((char)version[5]) || !char.IsAsciiDigit((char)version[7]))
        {
            return false;
        }

        major = version[5] - '0';
        minor = version[7] - '0';
        return true;
    }
}
