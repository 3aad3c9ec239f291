namespace Mesh.Hocon;

/// <summary>
/// Parse-time handling of duplicate keys (spec "Duplicate keys and object merging"): a later scalar or
/// list hides what came before, two object literals merge recursively, and anything involving a
/// substitution is kept as a <see cref="RawStack"/> for the resolver, which needs the earlier values
/// for self-references and for merging once the substitution's type is known.
/// </summary>
internal static class RawMerge
{
    public static void MergeField(RawObject target, string key, RawValue value)
    {
        target.Fields[key] = target.Fields.TryGetValue(key, out var existing) ? Merge(existing, value) : value;
    }

    /// <summary>Merges every field of <paramref name="newer"/> into <paramref name="target"/> (newer wins).</summary>
    public static void MergeObject(RawObject target, RawObject newer)
    {
        foreach (var (key, value) in newer.Fields)
        {
            MergeField(target, key, value);
        }
    }

    public static RawValue Merge(RawValue existing, RawValue newer)
    {
        if (newer.HidesEarlierValues)
        {
            return newer;
        }

        if (newer is RawObject newerObject)
        {
            switch (existing)
            {
                case RawObject existingObject:
                    MergeObject(existingObject, newerObject);
                    return existingObject;
                case RawScalar or RawList:
                    newerObject.IgnoresFallbacks = true;
                    return newer;
            }
        }

        return existing is RawStack stack ? stack.Push(newer) : new RawStack(existing, newer);
    }
}
