namespace Mesh.Hocon;

/// <summary>
/// A fully resolved HOCON value: an object, a list or a scalar. Values are immutable once the resolver
/// has built them. The <c>As…</c> methods apply the spec's automatic type conversions (numbers from
/// strings, booleans from yes/no/on/off, lists from numerically-indexed objects, durations and sizes
/// from unit strings) and throw <see cref="HoconException"/> pointing at the value's origin.
/// </summary>
public abstract class HoconValue
{
    private protected HoconValue(HoconOrigin origin)
    {
        Origin = origin;
    }

    /// <summary>The JSON-level type.</summary>
    public abstract HoconValueType Type { get; }

    /// <summary>Where the value was written (file, line, column).</summary>
    public HoconOrigin Origin { get; }

    /// <summary>True for an explicit <c>null</c>.</summary>
    public bool IsNull => Type == HoconValueType.Null;

    public string AsString() => ValueConversion.ToText(this, null);

    public int AsInt() => ValueConversion.ToInt(this, null);

    public long AsLong() => ValueConversion.ToLong(this, null);

    public double AsDouble() => ValueConversion.ToDouble(this, null);

    public bool AsBoolean() => ValueConversion.ToBoolean(this, null);

    /// <summary>A duration; a bare number means milliseconds.</summary>
    public TimeSpan AsDuration() => ValueConversion.ToDuration(this, null);

    /// <summary>A size in bytes; a bare number means bytes.</summary>
    public long AsBytes() => ValueConversion.ToBytes(this, null);

    /// <summary>A list; an object whose keys are integers converts to a list ordered by key.</summary>
    public IReadOnlyList<HoconValue> AsList() => ValueConversion.ToList(this, null);

    public HoconObject AsObject() => ValueConversion.ToObject(this, null);

    /// <summary>A compact JSON rendering (numbers keep their original text).</summary>
    public override string ToString() => HoconRenderer.Render(this);
}
