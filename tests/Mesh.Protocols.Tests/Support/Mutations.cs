using FsCheck;
using FsCheck.Fluent;

namespace Mesh.Protocols.Tests.Support;

/// <summary>FsCheck generators for hostile variations of real inputs.</summary>
internal static class Mutations
{
    /// <summary>A byte array of up to <paramref name="maxLength"/> random bytes.</summary>
    public static Gen<byte[]> RandomBytes(int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    /// <summary>Random bytes biased towards characters that matter to text protocols.</summary>
    public static Gen<byte[]> ProtocolishBytes(int maxLength)
    {
        Gen<byte> interesting = Gen.Elements("\r\n :;,\t\"\\/0aFHT-"u8.ToArray());
        Gen<byte> any = Gen.Choose(0, 255).Select(b => (byte)b);
        Gen<byte> mixed = Gen.Frequency((3, interesting), (2, any));
        return Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(mixed, n));
    }

    /// <summary>One to three flips, truncations, insertions, deletions or duplications of <paramref name="seed"/>.</summary>
    public static Gen<byte[]> Mutate(byte[] seed) =>
        Gen.Choose(1, 3).SelectMany(count => MutateTimes(seed, count));

    private static Gen<byte[]> MutateTimes(byte[] seed, int count) =>
        count == 0 ? Gen.Constant(seed) : Once(seed).SelectMany(m => MutateTimes(m, count - 1));

    private static Gen<byte[]> Once(byte[] data)
    {
        int n = data.Length;
        Gen<int> index = Gen.Choose(0, Math.Max(0, n - 1));
        Gen<byte> value = Gen.Choose(0, 255).Select(b => (byte)b);
        Gen<byte[]> flip = index.Zip(Gen.Choose(1, 255)).Select(t =>
        {
            byte[] copy = (byte[])data.Clone();
            if (copy.Length > 0)
            {
                copy[t.Item1] ^= (byte)t.Item2;
            }

            return copy;
        });
        Gen<byte[]> truncate = Gen.Choose(0, n).Select(len => data[..len]);
        Gen<byte[]> insert = Gen.Choose(0, n).Zip(value).Select(t => (byte[])[.. data[..t.Item1], t.Item2, .. data[t.Item1..]]);
        Gen<byte[]> delete = Gen.Choose(0, n).Zip(Gen.Choose(1, 8)).Select(t =>
            (byte[])[.. data[..t.Item1], .. data[Math.Min(n, t.Item1 + t.Item2)..]]);
        Gen<byte[]> duplicate = Gen.Choose(0, n).Zip(Gen.Choose(1, 16)).Select(t =>
        {
            byte[] slice = data[t.Item1..Math.Min(n, t.Item1 + t.Item2)];
            return (byte[])[.. data[..t.Item1], .. slice, .. data[t.Item1..]];
        });
        return Gen.OneOf(flip, truncate, insert, delete, duplicate);
    }

    /// <summary>Up to <paramref name="maxCuts"/> cut points within [1, length).</summary>
    public static Gen<int[]> Cuts(int length, int maxCuts = 8) =>
        length < 2 ? Gen.Constant(Array.Empty<int>()) : Gen.Choose(0, maxCuts).SelectMany(k => Gen.ArrayOf(Gen.Choose(1, length - 1), k));

    /// <summary>An input together with a random segmentation of it.</summary>
    public static Gen<(byte[] Data, int[] Cuts)> WithCuts(Gen<byte[]> inputs) =>
        inputs.SelectMany(d => Cuts(d.Length).Select(c => (d, c)));
}
