using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mesh.Hocon;

/// <summary>
/// Spec "Conversion of numerically-indexed objects to arrays": an object whose keys are integers
/// (typically from a .properties file or from environment variables such as <c>list.0</c>) becomes a
/// list when a list is wanted. Keys sort by integer value, non-integer keys are ignored, and gaps close.
/// </summary>
internal static class ListConversion
{
    public static bool TryToList(HoconObject obj, [NotNullWhen(true)] out HoconList? list)
    {
        var indexed = new List<(long Index, HoconValue Value)>();
        foreach (var (key, value) in obj)
        {
            if (key.Length > 0 && key.All(char.IsAsciiDigit)
                && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indexed.Add((index, value));
            }
        }

        if (indexed.Count == 0)
        {
            list = null;
            return false;
        }

        list = new HoconList(indexed.OrderBy(entry => entry.Index).Select(entry => entry.Value), obj.Origin);
        return true;
    }
}
