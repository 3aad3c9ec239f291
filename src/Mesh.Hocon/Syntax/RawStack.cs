namespace Mesh.Hocon;

/// <summary>
/// Several values assigned to one key where the later ones may need the earlier ones: a substitution
/// or concatenation (which may refer to the previous value, or turn out to be an object that merges
/// with it), or an object over such a value. Layer 0 is the oldest. Prefixes of a stack (its first
/// n layers) are the "previous value" seen by self-references and are cached so that each prefix is
/// one node with one identity for the resolver's memo.
/// </summary>
internal sealed class RawStack : RawValue
{
    private readonly Shared _shared;

    public RawStack(RawValue first, RawValue second)
        : this(new Shared([first, second]), 2)
    {
    }

    private RawStack(Shared shared, int count)
        : base(shared.Layers[count - 1].Origin)
    {
        _shared = shared;
        Count = count;
    }

    public int Count { get; }

    public RawValue this[int index] => index < Count ? _shared.Layers[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>
    /// What this stack falls back to below its first layer when it sits inside an object that is itself
    /// layered over another value (set by the resolver).
    /// </summary>
    public Fallback? OuterFallback
    {
        get => _shared.OuterFallback;
        set => _shared.OuterFallback = value;
    }

    /// <summary>Adds a newer layer; only valid on the full stack, during parsing.</summary>
    public RawStack Push(RawValue layer)
    {
        if (Count != _shared.Layers.Count)
        {
            throw new InvalidOperationException("only the full stack can grow");
        }

        _shared.Layers.Add(layer);
        return new RawStack(_shared, Count + 1);
    }

    /// <summary>The first <paramref name="count"/> layers as a node (the layer itself when count is 1).</summary>
    public RawValue Prefix(int count)
    {
        if (count == 1)
        {
            return _shared.Layers[0];
        }

        _shared.Prefixes ??= new RawStack?[_shared.Layers.Count + 1];
        return _shared.Prefixes[count] ??= new RawStack(_shared, count);
    }

    private sealed class Shared(List<RawValue> layers)
    {
        public List<RawValue> Layers { get; } = layers;

        public RawStack?[]? Prefixes { get; set; }

        public Fallback? OuterFallback { get; set; }
    }
}
