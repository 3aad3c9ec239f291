namespace Mesh.Hocon;

/// <summary>A list literal.</summary>
internal sealed class RawList(List<RawValue> items, HoconOrigin origin) : RawValue(origin)
{
    public List<RawValue> Items { get; } = items;
}
