using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Mesh.Policy.Model;

namespace Mesh.Policy.Tests;

/// <summary>CIDR and wildcard host matching checked against naive oracles on generated inputs.</summary>
public class MatchingPropertyTests
{
    private static bool NaiveContains(byte[] network, int prefix, byte[] address)
    {
        if (network.Length != address.Length) return false;
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((network[bit / 8] & mask) != (address[bit / 8] & mask)) return false;
        }
        return true;
    }

    [Fact]
    public void Cidr_contains_agrees_with_a_bit_by_bit_oracle()
    {
        var gen =
            from v6 in Gen.Elements(false, true)
            from net in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), v6 ? 16 : 4)
            from prefix in Gen.Choose(0, v6 ? 128 : 32)
            from flip in Gen.Choose(-1, v6 ? 127 : 31)
            from otherFamily in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (net, prefix, flip, otherFamily);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (net, prefix, flip, otherFamily) = t;
            var address = (byte[])net.Clone();
            if (flip >= 0) address[flip / 8] ^= (byte)(0x80 >> (flip % 8));
            if (otherFamily) address = address.Length == 4 ? new byte[16] : new byte[4];
            var cidr = Cidr.Parse($"{new IPAddress(net)}/{prefix}");
            var expected = NaiveContains(net, prefix, address);
            return cidr.Contains(NetAddress.FromIPAddress(new IPAddress(address))) == expected;
        }).QuickCheckThrowOnFailure();
    }

    private static readonly string[] Labels = ["a", "b", "ex", "example", "com", "x-1", "COM", "Example"];

    private static bool NaiveHostMatch(string pattern, string host)
    {
        var p = pattern.ToLowerInvariant().Split('.');
        var h = host.ToLowerInvariant().Split('.');
        if (p[0] != "*") return p.SequenceEqual(h);
        var suffix = p.AsSpan(1).ToArray();
        return h.Length > suffix.Length && h.AsSpan(h.Length - suffix.Length).SequenceEqual(suffix);
    }

    [Fact]
    public void Wildcard_and_exact_host_matching_agree_with_a_label_oracle()
    {
        var name = Gen.Elements(Labels).ArrayOf().Where(a => a.Length is > 0 and < 5).Select(a => string.Join('.', a));
        var gen =
            from wildcard in Gen.Elements(false, true)
            from patternName in name
            from host in Gen.OneOf(name, name.Select(n => n + "." + patternName), Gen.Constant(patternName))
            select (pattern: (wildcard ? "*." : "") + patternName, host);
        Prop.ForAll(gen.ToArbitrary(), t =>
            HostPattern.Parse(t.pattern).Matches(t.host) == NaiveHostMatch(t.pattern, t.host)).QuickCheckThrowOnFailure();
    }
}
