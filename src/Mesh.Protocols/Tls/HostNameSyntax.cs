namespace Mesh.Protocols.Tls;

/// <summary>
/// Validates an SNI host_name as an LDH DNS name (RFC 6066 §3, RFC 1123 §2.1) and lower-cases it.
/// Policy matches host names as strings, so anything that could compare equal in more than one way
/// (trailing dot, non-ASCII, underscores, IP literals) is refused rather than normalized.
/// </summary>
internal static class HostNameSyntax
{
    public const int MaxLength = 253;

    public static bool TryNormalize(ReadOnlySpan<byte> name, out string? normalized)
    {
        normalized = null;
        if (name.IsEmpty || name.Length > MaxLength)
        {
            return false;
        }

        int labelStart = 0;
        bool labelAllDigits = true;
        for (int i = 0; i <= name.Length; i++)
        {
            if (i == name.Length || name[i] == '.')
            {
                int labelLength = i - labelStart;
                if (labelLength is 0 or > 63 || name[labelStart] == '-' || name[i - 1] == '-')
                {
                    return false;
                }

                labelStart = i + 1;
                if (i < name.Length)
                {
                    labelAllDigits = true;
                }

                continue;
            }

            byte b = name[i];
            if (!char.IsAsciiLetterOrDigit((char)b) && b != '-')
            {
                return false;
            }

            labelAllDigits &= char.IsAsciiDigit((char)b);
        }

        // An all-numeric last label is an IPv4 literal (or an invalid TLD); RFC 6066 forbids literals.
        if (labelAllDigits)
        {
            return false;
        }

        normalized = string.Create(name.Length, name, static (chars, bytes) =>
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[i] = (char)(bytes[i] | (char.IsAsciiLetterUpper((char)bytes[i]) ? 0x20 : 0));
            }
        });
        return true;
    }
}
