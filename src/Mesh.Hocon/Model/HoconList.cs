using System.Collections;

namespace Mesh.Hocon;

/// <summary>An ordered list of resolved values.</summary>
public sealed class HoconList : HoconValue, IReadOnlyList<HoconValue>
{
    private readonly HoconValue[] _items;

    internal HoconList(IEnumerable<HoconValue> items, HoconOrigin origin)
        : base(origin)
    {
        _items = [.. items];
    }

    public override HoconValueType Type => HoconValueType.List;

    public int Count => _items.Length;

    public HoconValue this[int index] => _items[index];

    public IEnumerator<HoconValue> GetEnumerator() => ((IEnumerable<HoconValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
