using System.Text;

namespace Mesh.Protocols.Tls;

/// <summary>
/// Parses the body of a reassembled ClientHello handshake message (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2),
/// extracting server_name (RFC 6066 §3), ALPN (RFC 7301) and whether TLS 1.3 is offered.
/// Every length must be consistent; a hello the origin would reject is not routed on.
/// </summary>
internal static class ClientHelloParser
{
    private const ushort ServerNameExtension = 0;
    private const ushort AlpnExtension = 16;
    private const ushort SupportedVersionsExtension = 43;

    public static SniReadStatus Parse(ReadOnlySpan<byte> body, out ClientHelloInfo hello)
    {
        hello = new ClientHelloInfo(null, [], false);
        var reader = new TlsSpanReader(body);
        if (!reader.TryReadByte(out byte major) || major != 3 || !reader.TrySkip(1 + 32)
            || !reader.TryReadVector8(out ReadOnlySpan<byte> sessionId) || sessionId.Length > 32
            || !reader.TryReadVector16(out ReadOnlySpan<byte> suites) || suites.Length < 2 || suites.Length % 2 != 0
            || !reader.TryReadVector8(out ReadOnlySpan<byte> compression) || compression.IsEmpty)
        {
            return SniReadStatus.Malformed;
        }

        if (reader.Remaining == 0)
        {
            return SniReadStatus.NoServerName; // Pre-extension hello (SSLv3 / TLS 1.0 era).
        }

        if (!reader.TryReadVector16(out ReadOnlySpan<byte> extensions) || reader.Remaining != 0)
        {
            return SniReadStatus.Malformed;
        }

        return ParseExtensions(extensions, ref hello);
    }

    private static SniReadStatus ParseExtensions(ReadOnlySpan<byte> extensions, ref ClientHelloInfo hello)
    {
        var reader = new TlsSpanReader(extensions);
        ulong seen = 0; // Duplicate detection for the low extension numbers, where all the ones we read live.
        ReadOnlySpan<byte> serverName = default;
        bool hasServerName = false;
        while (reader.Remaining > 0)
        {
            if (!reader.TryReadUInt16(out ushort type) || !reader.TryReadVector16(out ReadOnlySpan<byte> data))
            {
                return SniReadStatus.Malformed;
            }

            if (type < 64)
            {
                ulong bit = 1UL << type;
                if ((seen & bit) != 0)
                {
                    return SniReadStatus.Malformed; // RFC 8446 §4.2: at most one extension of each type.
                }

                seen |= bit;
            }

            switch (type)
            {
                case ServerNameExtension:
                    hasServerName = true;
                    serverName = data;
                    break;
                case AlpnExtension:
                    if (!TryReadAlpn(data, out string[] protocols))
                    {
                        return SniReadStatus.Malformed;
                    }

                    hello = hello with { ApplicationProtocols = protocols };
                    break;
                case SupportedVersionsExtension:
                    if (!TryReadOffersTls13(data, out bool tls13))
                    {
                        return SniReadStatus.Malformed;
                    }

                    hello = hello with { OffersTls13 = tls13 };
                    break;
                default:
                    break;
            }
        }

        return hasServerName ? ReadServerName(serverName, ref hello) : SniReadStatus.NoServerName;
    }

    // struct { NameType name_type; opaque HostName<1..2^16-1>; } ServerName; ServerName server_name_list<1..2^16-1>;
    private static SniReadStatus ReadServerName(ReadOnlySpan<byte> data, ref ClientHelloInfo hello)
    {
        var reader = new TlsSpanReader(data);
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> list) || reader.Remaining != 0)
        {
            return SniReadStatus.Malformed;
        }

        var entries = new TlsSpanReader(list);
        ReadOnlySpan<byte> hostName = default;
        bool found = false;
        while (entries.Remaining > 0)
        {
            if (!entries.TryReadByte(out byte nameType) || !entries.TryReadVector16(out ReadOnlySpan<byte> name))
            {
                return SniReadStatus.Malformed;
            }

            if (nameType == 0)
            {
                if (found)
                {
                    return SniReadStatus.InvalidServerName; // "MUST NOT contain more than one name of the same name_type".
                }

                found = true;
                hostName = name;
            }
        }

        if (!found || !HostNameSyntax.TryNormalize(hostName, out string? normalized))
        {
            return SniReadStatus.InvalidServerName;
        }

        hello = hello with { ServerName = normalized };
        return SniReadStatus.Success;
    }

    // opaque ProtocolName<1..2^8-1>; ProtocolName protocol_name_list<2..2^16-1>;
    private static bool TryReadAlpn(ReadOnlySpan<byte> data, out string[] protocols)
    {
        protocols = [];
        var reader = new TlsSpanReader(data);
        if (!reader.TryReadVector16(out ReadOnlySpan<byte> list) || reader.Remaining != 0 || list.IsEmpty)
        {
            return false;
        }

        // Two passes (validate and count, then fill) so exactly one array is allocated.
        int count = 0;
        for (var names = new TlsSpanReader(list); names.Remaining > 0;)
        {
            if (!names.TryReadVector8(out ReadOnlySpan<byte> name) || name.IsEmpty)
            {
                return false;
            }

            count += IsVisibleAscii(name) ? 1 : 0;
        }

        protocols = count == 0 ? [] : new string[count];
        int index = 0;
        for (var names = new TlsSpanReader(list); names.TryReadVector8(out ReadOnlySpan<byte> name);)
        {
            if (IsVisibleAscii(name))
            {
                protocols[index++] = Encoding.ASCII.GetString(name);
            }
        }

        return true;
    }

    private static bool IsVisibleAscii(ReadOnlySpan<byte> name)
    {
        foreach (byte b in name)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadOffersTls13(ReadOnlySpan<byte> data, out bool tls13)
    {
        tls13 = false;
        var reader = new TlsSpanReader(data);
        if (!reader.TryReadVector8(out ReadOnlySpan<byte> versions) || reader.Remaining != 0
            || versions.IsEmpty || versions.Length % 2 != 0)
        {
            return false;
        }

        for (int i = 0; i < versions.Length; i += 2)
        {
            tls13 |= versions[i] == 3 && versions[i + 1] == 4;
        }

        return true;
    }
}
