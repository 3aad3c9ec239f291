using System.Globalization;
using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Resources;

namespace Mesh.FakeKubeApi.Storage;

/// <summary>
/// The fake's etcd: every object of every type, one global resourceVersion that grows with each write, and the
/// history of writes since the last compaction (watches replay it; lists read past states from it, so the pages
/// of a paged list are one consistent snapshot). Thread-safe: one lock around state, history and watchers.
/// </summary>
public sealed partial class ObjectStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ResourceTypes _types;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly List<StoredEvent> _history = [];
    private readonly List<WatchSubscription> _watchers = [];
    private Dictionary<string, SortedDictionary<string, JsonObject>> _base = new(StringComparer.Ordinal);
    private StoreJournal? _journal;
    private long _resourceVersion;
    private long _compacted;

    public ObjectStore(ResourceTypes types, TimeProvider? time = null, string? stateDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(types);
        _types = types;
        _time = time ?? TimeProvider.System;
        if (stateDirectory is not null)
        {
            Replay(stateDirectory);
            _journal = new StoreJournal(stateDirectory);
        }
    }

    public ResourceTypes Types => _types;

    /// <summary>The resourceVersion of the last write.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate) return _resourceVersion;
        }
    }

    /// <summary>History at or below this version is gone: watching or listing from it answers 410.</summary>
    public long CompactedResourceVersion
    {
        get
        {
            lock (_gate) return _compacted;
        }
    }

    public int WatcherCount
    {
        get
        {
            lock (_gate) return _watchers.Count;
        }
    }

    /// <summary>The stored object (a copy), or null.</summary>
    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_gate)
        {
            return Table(type.GroupResource).TryGetValue(Key(type, ns, name), out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>
    /// The objects of a type that pass a filter, as of <paramref name="atVersion"/> (null: now), sorted by namespace
    /// and name, with the version they are as of. Throws 410 Expired for a version older than the compaction point.
    /// </summary>
    internal (List<JsonObject> Items, long ResourceVersion) List(WatchFilter filter, long? atVersion)
    {
        lock (_gate)
        {
            var at = atVersion ?? _resourceVersion;
            IEnumerable<JsonObject> source;
            if (at == _resourceVersion)
            {
                source = Table(filter.GroupResource).Values;
            }
            else
            {
                if (at < _compacted)
                {
                    throw ApiException.Expired($"too old resource version: {at} ({_compacted})");
                }
                source = StateAt(filter.GroupResource, at).Values;
            }
            return (source.Where(filter.Matches).Select(o => (JsonObject)o.DeepClone()).ToList(), at);
        }
    }

    /// <summary>Forgets history up to <paramref name="atVersion"/> (default: now), as etcd compaction does.</summary>
    public void Compact(long? atVersion = null)
    {
        lock (_gate)
        {
            var at = Math.Min(atVersion ?? _resourceVersion, _resourceVersion);
            if (at <= _compacted) return;
            var newBase = new Dictionary<string, SortedDictionary<string, JsonObject>>(StringComparer.Ordinal);
            foreach (var gr in _history.Select(e => e.GroupResource).Concat(_base.Keys).Distinct(StringComparer.Ordinal))
            {
                newBase[gr] = StateAt(gr, at);
            }
            _base = newBase;
            _history.RemoveAll(e => e.ResourceVersion <= at);
            _compacted = at;
            _journal?.AppendCompaction(at);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var w in _watchers.ToList()) w.Dispose();
            _journal?.Dispose();
            _journal = null;
        }
    }

    private SortedDictionary<string, JsonObject> StateAt(string groupResource, long at)
    {
        var state = _base.TryGetValue(groupResource, out var b)
            ? new SortedDictionary<string, JsonObject>(b, StringComparer.Ordinal)
            : new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var e in _history)
        {
            if (e.ResourceVersion > at) break;
            if (e.GroupResource != groupResource) continue;
            var key = KeyOf(e.Object);
            if (e.Type == WatchEventType.Deleted) state.Remove(key);
            else state[key] = e.Object;
        }
        return state;
    }

    private SortedDictionary<string, JsonObject> Table(string groupResource)
    {
        if (!_objects.TryGetValue(groupResource, out var table))
        {
            table = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[groupResource] = table;
        }
        return table;
    }

    /// <summary>The sort key: namespace, then name, as etcd's key layout orders a list.</summary>
    internal static string Key(ResourceType type, string? ns, string name) => type.Namespaced ? $"{ns}\u0000{name}" : $"\u0000{name}";

    private static string KeyOf(JsonObject o) => $"{ObjectMeta.Namespace(o)}\u0000{ObjectMeta.Name(o)}";

    private static string Text(long rv) => rv.ToString(CultureInfo.InvariantCulture);
}
