using System.Text;

namespace Mesh.Hocon;

/// <summary>
/// Spec "Value concatenation", applied once every part is resolved: missing optional parts drop out,
/// simple values join into a string (whitespace between them kept, null written as "null", numbers as
/// written), lists concatenate, objects merge with later ones winning, and anything else is an error.
/// A single remaining value keeps its type.
/// </summary>
internal static class ConcatCombiner
{
    public static HoconValue? Combine(IReadOnlyList<ConcatPart> parts, HoconOrigin origin)
    {
        var present = parts.Where(part => part.Value is not null).ToList();
        var values = present.Where(part => !part.IsWhitespace).ToList();
        if (values.Count == 0)
        {
            // Only whitespace is left when every substitution around it was an undefined optional one:
            // "${?a} ${?b}" is " ", while "${?a}${?b}" has no parts at all and leaves the field unset.
            return present.Count == 0 ? null : HoconScalar.String(Join(present), origin);
        }

        var complex = values.Find(part => part.Value is HoconObject or HoconList);
        if (complex.Value is null)
        {
            return present.Count == 1 ? present[0].Value : HoconScalar.String(Join(present), origin);
        }

        var text = values.Find(part => part.Value is HoconScalar);
        if (text.Value is not null)
        {
            var what = complex.Value is HoconObject ? "an object" : "a list";
            throw new HoconException(
                $"cannot concatenate {Describe(text.Value)} with {what}; only strings join with strings, lists with lists and objects with objects",
                text.Origin);
        }

        if (values.Count == 1)
        {
            return values[0].Value;
        }

        if (values.TrueForAll(part => part.Value is HoconObject))
        {
            var merged = (HoconObject)values[0].Value!;
            foreach (var part in values.Skip(1))
            {
                merged = ObjectMerge.Merge((HoconObject)part.Value!, merged);
            }

            return merged;
        }

        var items = new List<HoconValue>();
        foreach (var part in values)
        {
            items.AddRange(part.Value switch
            {
                HoconList list => list,
                HoconObject obj when ListConversion.TryToList(obj, out var converted) => converted,
                _ => throw new HoconException("cannot concatenate an object with a list", part.Origin),
            });
        }

        return new HoconList(items, origin);
    }

    private static string Join(List<ConcatPart> parts)
    {
        var sb = new StringBuilder();
        foreach (var part in parts)
        {
            sb.Append(((HoconScalar)part.Value!).Text);
        }

        return sb.ToString();
    }

    private static string Describe(HoconValue value) =>
        value is HoconScalar { Type: HoconValueType.String } s ? $"the string \"{s.Text}\"" : $"the value {value}";
}
