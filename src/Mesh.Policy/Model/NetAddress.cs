using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Policy.Model;

/// <summary>
/// An IPv4 or IPv6 address as a 128-bit value, so CIDR matching is masking and comparing without allocation.
/// IPv4-mapped IPv6 addresses (what a dual-stack socket reports) are normalised to IPv4.
/// </summary>
public readonly record struct NetAddress(UInt128 Bits, bool IsIPv6)
{
    public int BitLength => IsIPv6 ? 128 : 32;

    public static NetAddress FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return new NetAddress(BinaryPrimitives.ReadUInt32BigEndian(bytes), IsIPv6: false);
        }
        address.TryWriteBytes(bytes, out _);
        return new NetAddress(BinaryPrimitives.ReadUInt128BigEndian(bytes), IsIPv6: true);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out NetAddress address)
    {
        if (IPAddress.TryParse(text, out var ip) && !text.Contains('%'))
        {
            address = FromIPAddress(ip);
            return true;
        }
        address = default;
        return false;
    }

    public static NetAddress Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"'{text}' is not an IP address");

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!IsIPv6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Bits);
            return new IPAddress(bytes[..4]);
        }
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Bits);
        return new IPAddress(bytes);
    }

    public override string ToString() => ToIPAddress().ToString();
}
