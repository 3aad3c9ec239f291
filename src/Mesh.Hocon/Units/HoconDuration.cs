using System.Numerics;

namespace Mesh.Hocon;

/// <summary>
/// Durations in the spec's format: a number and an optional unit (ns, us, ms, s, m, h, d, or their
/// long singular/plural names, lowercase only). A bare number means milliseconds.
/// Example: <c>HoconDuration.Parse("5s") == TimeSpan.FromSeconds(5)</c>.
/// </summary>
public static class HoconDuration
{
    private static readonly Dictionary<string, long> NanosPerUnit = BuildUnits();

    /// <summary>Parses a duration; sub-tick precision (below 100 ns) is truncated.</summary>
    public static TimeSpan Parse(string text)
    {
        var nanos = ParseExact(text);
        var ticks = nanos / 100;
        return ticks >= long.MinValue && ticks <= long.MaxValue
            ? TimeSpan.FromTicks((long)ticks)
            : throw new HoconException($"the duration '{text}' is out of range for a TimeSpan");
    }

    /// <summary>Parses a duration to whole nanoseconds, exactly.</summary>
    public static long ParseNanoseconds(string text)
    {
        var nanos = ParseExact(text);
        return nanos >= long.MinValue && nanos <= long.MaxValue
            ? (long)nanos
            : throw new HoconException($"the duration '{text}' is out of range for 64-bit nanoseconds");
    }

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (text is null)
        {
            return false;
        }

        try
        {
            duration = Parse(text);
            return true;
        }
        catch (HoconException)
        {
            return false;
        }
    }

    private static BigInteger ParseExact(string text)
    {
        var (number, unit) = UnitValue.Split(text, "duration");
        if (!NanosPerUnit.TryGetValue(unit, out var nanosPerUnit))
        {
            throw new HoconException(
                $"'{text}' is not a valid duration: unknown unit '{unit}' (use ns, us, ms, s, m, h or d, or their names such as 'seconds')");
        }

        return UnitValue.Multiply(number, nanosPerUnit, text, "duration");
    }

    private static Dictionary<string, long> BuildUnits()
    {
        var units = new Dictionary<string, long>(StringComparer.Ordinal) { [""] = 1_000_000 };
        Add(1, "ns", "nano", "nanosecond");
        Add(1_000, "us", "micro", "microsecond");
        Add(1_000_000, "ms", "milli", "millisecond");
        Add(1_000_000_000, "s", "second");
        Add(60_000_000_000, "m", "minute");
        Add(3_600_000_000_000, "h", "hour");
        Add(86_400_000_000_000, "d", "day");
        return units;

        void Add(long nanos, string shortName, params string[] names)
        {
            units[shortName] = nanos;
            foreach (var name in names)
            {
                units[name] = nanos;
                units[name + "s"] = nanos;
            }
        }
    }
}
