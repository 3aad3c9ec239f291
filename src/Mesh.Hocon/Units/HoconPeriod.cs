using System.Numerics;

namespace Mesh.Hocon;

/// <summary>
/// A calendar period in the spec's format: a whole number and an optional unit d/day, w/week,
/// m/mo/month, y/year (singular or plural). A bare number means days. Weeks become days; months and
/// years stay as such because their length depends on the date they are added to.
/// </summary>
public readonly record struct HoconPeriod(int Years, int Months, int Days)
{
    public static HoconPeriod Parse(string text)
    {
        var (number, unit) = UnitValue.Split(text, "period");
        if (number.Contains('.', StringComparison.Ordinal) || number.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            throw new HoconException($"'{text}' is not a valid period: the number must be a whole number");
        }

        var amount = UnitValue.Multiply(number, BigInteger.One, text, "period");
        return unit switch
        {
            "" or "d" or "day" or "days" => new HoconPeriod(0, 0, Checked(amount, text)),
            "w" or "week" or "weeks" => new HoconPeriod(0, 0, Checked(amount * 7, text)),
            "m" or "mo" or "month" or "months" => new HoconPeriod(0, Checked(amount, text), 0),
            "y" or "year" or "years" => new HoconPeriod(Checked(amount, text), 0, 0),
            _ => throw new HoconException($"'{text}' is not a valid period: unknown unit '{unit}' (use d, w, m/mo or y)"),
        };
    }

    /// <summary>The same period with whole years taken out of the months (12 months == 1 year).</summary>
    public HoconPeriod Normalized() => new(Years + (Months / 12), Months % 12, Days);

    /// <summary>Adds the period to a date, years and months first.</summary>
    public DateTime AddTo(DateTime start) => start.AddYears(Years).AddMonths(Months).AddDays(Days);

    private static int Checked(BigInteger amount, string text) =>
        amount >= int.MinValue && amount <= int.MaxValue
            ? (int)amount
            : throw new HoconException($"the period '{text}' is out of range");
}
