namespace Mesh.Hocon;

/// <summary>
/// A parsed but not yet resolved value. Object and list literals, scalars, substitutions,
/// concatenations and "stacks" of values assigned to the same key that could not be merged at parse
/// time (because a substitution is involved) all derive from this.
/// </summary>
internal abstract class RawValue(HoconOrigin origin)
{
    public HoconOrigin Origin { get; } = origin;

    /// <summary>
    /// True when a later value hides everything assigned before it to the same key without looking at it:
    /// scalars and list literals. Objects merge, and substitutions may turn out to be objects.
    /// </summary>
    public bool HidesEarlierValues => this is RawScalar or RawList;
}
