using System.Globalization;

namespace Mesh.Hocon;

/// <summary>
/// The spec's "automatic type conversions", applied only when a caller asks for a type: number and
/// string convert both ways, true/yes/on and false/no/off are booleans, unit strings become durations
/// and sizes, and numerically-indexed objects become lists. Nothing converts from null, and objects
/// and lists never become scalars.
/// </summary>
internal static class ValueConversion
{
    public static string ToText(HoconValue value, string? path) => value switch
    {
        HoconScalar { Type: HoconValueType.Null } => throw Null(value, path, "a string"),
        HoconScalar scalar => scalar.Text,
        _ => throw WrongType(value, path, "a string"),
    };

    public static long ToLong(HoconValue value, string? path)
    {
        var text = NumberText(value, path);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && Math.Floor(real) == real)
        {
            if (real is >= long.MinValue and < long.MaxValue)
            {
                return (long)real;
            }

            throw Fail(value, path, $"the number {text} is out of range for a 64-bit integer");
        }

        throw Fail(value, path, $"expected a whole number but found {Describe(value)}");
    }

    public static int ToInt(HoconValue value, string? path)
    {
        var number = ToLong(value, path);
        return number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : throw Fail(value, path, $"the number {number} is out of range for a 32-bit integer");
    }

    public static double ToDouble(HoconValue value, string? path)
    {
        var text = NumberText(value, path);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            ? real
            : throw Fail(value, path, $"expected a number but found {Describe(value)}");
    }

    public static bool ToBoolean(HoconValue value, string? path)
    {
        var text = ToScalarText(value, path, "a boolean");
        return text switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Fail(value, path, $"expected a boolean (true/false, yes/no, on/off) but found {Describe(value)}"),
        };
    }

    public static TimeSpan ToDuration(HoconValue value, string? path)
    {
        var text = ToScalarText(value, path, "a duration");
        return WithOrigin(value, path, () => HoconDuration.Parse(text));
    }

    public static long ToBytes(HoconValue value, string? path)
    {
        var text = ToScalarText(value, path, "a size in bytes");
        return WithOrigin(value, path, () => HoconSize.Parse(text));
    }

    public static IReadOnlyList<HoconValue> ToList(HoconValue value, string? path) => value switch
    {
        HoconList list => list,
        HoconObject obj when ListConversion.TryToList(obj, out var converted) => converted,
        HoconScalar { Type: HoconValueType.Null } => throw Null(value, path, "a list"),
        _ => throw WrongType(value, path, "a list"),
    };

    public static HoconObject ToObject(HoconValue value, string? path) => value switch
    {
        HoconObject obj => obj,
        HoconScalar { Type: HoconValueType.Null } => throw Null(value, path, "an object"),
        _ => throw WrongType(value, path, "an object"),
    };

    private static string NumberText(HoconValue value, string? path) => ToScalarText(value, path, "a number");

    private static string ToScalarText(HoconValue value, string? path, string wanted) => value switch
    {
        HoconScalar { Type: HoconValueType.Null } => throw Null(value, path, wanted),
        HoconScalar scalar => scalar.Text,
        _ => throw WrongType(value, path, wanted),
    };

    private static T WithOrigin<T>(HoconValue value, string? path, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (HoconException ex) when (ex.Origin is null)
        {
            throw Fail(value, path, ex.Reason);
        }
    }

    private static HoconException Null(HoconValue value, string? path, string wanted) =>
        Fail(value, path, $"expected {wanted} but the value is null");

    private static HoconException WrongType(HoconValue value, string? path, string wanted) =>
        Fail(value, path, $"expected {wanted} but found {Describe(value)}");

    private static HoconException Fail(HoconValue value, string? path, string reason) =>
        new(path is null ? reason : $"'{path}': {reason}", value.Origin);

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconList => "a list",
        HoconScalar { Type: HoconValueType.String } s => $"the string \"{s.Text}\"",
        HoconScalar s => $"the {s.Type.ToString().ToLowerInvariant()} {s.Text}",
        _ => value.Type.ToString(),
    };
}
