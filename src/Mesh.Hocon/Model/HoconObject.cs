using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Mesh.Hocon;

/// <summary>
/// A resolved HOCON object. As a dictionary it exposes its direct keys; the <c>Get…(path)</c> methods
/// take a HOCON path expression (<c>a.b."c.d"</c>) and walk nested objects.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "HOCON calls this an object; 'HoconObjectDictionary' would read wrong to users of the spec.")]
public sealed partial class HoconObject : HoconValue, IReadOnlyDictionary<string, HoconValue>
{
    private readonly OrderedDictionary<string, HoconValue> _fields;

    internal HoconObject(OrderedDictionary<string, HoconValue> fields, HoconOrigin origin, bool ignoresFallbacks = false)
        : base(origin)
    {
        _fields = fields;
        IgnoresFallbacks = ignoresFallbacks;
    }

    /// <summary>
    /// True when this object replaced a non-object value (<c>a = 1, a.b = 2</c>), so that no fallback
    /// may merge into it later; this keeps <see cref="WithFallback"/> associative.
    /// </summary>
    internal bool IgnoresFallbacks { get; }

    public override HoconValueType Type => HoconValueType.Object;

    public int Count => _fields.Count;

    public IEnumerable<string> Keys => _fields.Keys;

    public IEnumerable<HoconValue> Values => _fields.Values;

    public HoconValue this[string key] => _fields[key];

    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out HoconValue value) => _fields.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, HoconValue>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Returns this object with <paramref name="fallback"/> underneath: keys missing here come from the
    /// fallback, and where both sides hold objects they merge recursively (this side wins). An object
    /// that already replaced a non-object value (<c>a = 1, a = { b = 2 }</c>) takes nothing from a fallback.
    /// </summary>
    public HoconObject WithFallback(HoconObject fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return ObjectMerge.Merge(this, fallback);
    }

    /// <summary>
    /// Every leaf (scalar, list or empty object) under this object with its full path, in document
    /// order. This is what "show the effective configuration with origins" prints.
    /// </summary>
    public IEnumerable<HoconLeaf> EnumerateLeaves()
    {
        var keys = new List<string>();
        return Walk(this, keys);

        static IEnumerable<HoconLeaf> Walk(HoconObject obj, List<string> keys)
        {
            foreach (var (key, value) in obj._fields)
            {
                keys.Add(key);
                if (value is HoconObject child && child.Count > 0)
                {
                    foreach (var leaf in Walk(child, keys))
                    {
                        yield return leaf;
                    }
                }
                else
                {
                    yield return new HoconLeaf(HoconPath.Render(keys), [.. keys], value);
                }

                keys.RemoveAt(keys.Count - 1);
            }
        }
    }
}
