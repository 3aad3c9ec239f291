namespace Mesh.Hocon;

/// <summary>An object literal (or a file's root). Fields keep first-insertion order.</summary>
internal sealed class RawObject(HoconOrigin origin) : RawValue(origin)
{
    public OrderedDictionary<string, RawValue> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>True once this object has replaced a scalar or list: nothing older may merge into it.</summary>
    public bool IgnoresFallbacks { get; set; }
}
