using System.Numerics;

namespace Mesh.Hocon;

/// <summary>
/// Sizes in bytes in the spec's format. Units are case-sensitive: B/b/byte/bytes; powers of ten kB,
/// MB, GB… (kilobyte, megabyte…); powers of two K/k/Ki/KiB, M/m/Mi/MiB… (kibibyte, mebibyte…).
/// A bare number means bytes. Example: <c>HoconSize.Parse("64KiB") == 65536</c>.
/// </summary>
public static class HoconSize
{
    private static readonly Dictionary<string, BigInteger> BytesPerUnit = BuildUnits();

    /// <summary>Parses a size that fits a 64-bit integer.</summary>
    public static long Parse(string text)
    {
        var bytes = ParseBig(text);
        return bytes <= long.MaxValue
            ? (long)bytes
            : throw new HoconException($"the size '{text}' is out of range for a 64-bit integer");
    }

    /// <summary>Parses any size exactly (zettabytes and yottabytes do not fit a long).</summary>
    public static BigInteger ParseBig(string text)
    {
        var (number, unit) = UnitValue.Split(text, "size");
        if (!BytesPerUnit.TryGetValue(unit, out var perUnit))
        {
            throw new HoconException($"'{text}' is not a valid size: unknown unit '{unit}' (use B, kB, KiB, MB, MiB, GB, GiB… or K, M, G)");
        }

        var bytes = UnitValue.Multiply(number, perUnit, text, "size");
        return bytes.Sign >= 0 ? bytes : throw new HoconException($"the size '{text}' is negative");
    }

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (text is null)
        {
            return false;
        }

        try
        {
            bytes = Parse(text);
            return true;
        }
        catch (HoconException)
        {
            return false;
        }
    }

    private static Dictionary<string, BigInteger> BuildUnits()
    {
        var units = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var name in new[] { "", "B", "b", "byte", "bytes" })
        {
            units[name] = 1;
        }

        string[] prefixes = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryPrefixes = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        const string Letters = "KMGTPEZY";
        for (var i = 0; i < Letters.Length; i++)
        {
            var power = i + 1;
            var decimalSize = BigInteger.Pow(1000, power);
            var binarySize = BigInteger.Pow(1024, power);
            var letter = Letters[i].ToString();
            var lower = letter.ToLowerInvariant();
            units[(i == 0 ? "k" : letter) + "B"] = decimalSize;
            units[prefixes[i] + "byte"] = decimalSize;
            units[prefixes[i] + "bytes"] = decimalSize;
            foreach (var name in new[] { letter, lower, letter + "i", letter + "iB", binaryPrefixes[i] + "byte", binaryPrefixes[i] + "bytes" })
            {
                units[name] = binarySize;
            }
        }

        return units;
    }
}
