namespace Mesh.Policy.Model;

/// <summary>
/// An address range. A bare address is a /32 or /128. Host bits below the prefix are cleared, as Go's
/// net.ParseCIDR does for OSM, so <c>10.0.0.1/8</c> means <c>10.0.0.0/8</c>.
/// </summary>
public readonly record struct Cidr(NetAddress Network, int PrefixLength)
{
    public bool IsIPv6 => Network.IsIPv6;

    public static bool TryParse(ReadOnlySpan<char> text, out Cidr cidr, out string? error)
    {
        cidr = default;
        text = text.Trim();
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!NetAddress.TryParse(addressText, out var address))
        {
            error = $"'{text}' is not an IP address or CIDR range";
            return false;
        }
        var prefix = address.BitLength;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.IsEmpty || prefixText.Length > 3 || !int.TryParse(prefixText, out prefix) ||
                prefix < 0 || prefix > address.BitLength || prefixText[0] == '+' || prefixText[0] == '-')
            {
                error = $"'{text}' has an invalid prefix length (0..{address.BitLength})";
                return false;
            }
        }
        cidr = new Cidr(new NetAddress(address.Bits & Mask(prefix, address.BitLength), address.IsIPv6), prefix);
        error = null;
        return true;
    }

    public static Cidr Parse(string text) =>
        TryParse(text, out var c, out var error) ? c : throw new FormatException(error);

    public bool Contains(NetAddress address) =>
        address.IsIPv6 == Network.IsIPv6 &&
        (address.Bits & Mask(PrefixLength, Network.BitLength)) == Network.Bits;

    /// <summary>The mask that keeps the first <paramref name="prefix"/> of <paramref name="bitLength"/> bits.</summary>
    internal static UInt128 Mask(int prefix, int bitLength)
    {
        if (prefix == 0) return UInt128.Zero;
        var all = bitLength == 128 ? UInt128.MaxValue : (UInt128)uint.MaxValue;
        return all & ~((UInt128.One << (bitLength - prefix)) - 1);
    }

    public override string ToString() => $"{Network}/{PrefixLength}";
}
