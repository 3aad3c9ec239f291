namespace Mesh.Hocon;

/// <summary>
/// Merging of resolved objects: keys of the fallback first, then the winning side's keys; where both
/// hold objects the merge recurses, anything else on the winning side simply replaces.
/// </summary>
internal static class ObjectMerge
{
    public static HoconObject Merge(HoconObject winner, HoconObject fallback)
    {
        if (winner.IgnoresFallbacks)
        {
            return winner;
        }

        var fields = new OrderedDictionary<string, HoconValue>(fallback.Count + winner.Count, StringComparer.Ordinal);
        foreach (var (key, value) in fallback)
        {
            fields[key] = value;
        }

        foreach (var (key, value) in winner)
        {
            fields[key] = value is HoconObject winning && fields.TryGetValue(key, out var existing)
                ? existing is HoconObject losing ? Merge(winning, losing) : HidingFallbacks(winning)
                : value;
        }

        // Once the fallback refuses older values, so does the merged result (associativity).
        return new HoconObject(fields, winner.Origin, fallback.IgnoresFallbacks);
    }

    /// <summary>The object, marked as having replaced a non-object value.</summary>
    public static HoconObject HidingFallbacks(HoconObject obj) =>
        obj.IgnoresFallbacks ? obj : new HoconObject(new OrderedDictionary<string, HoconValue>(obj, StringComparer.Ordinal), obj.Origin, true);
}
