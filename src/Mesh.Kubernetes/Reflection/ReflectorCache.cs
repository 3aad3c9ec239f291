using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Reflection;

/// <summary>
/// The objects a reflector has reported, by key: what makes "nothing reported twice" and "deletions made while
/// away are reported" true. Pure and single-threaded (one reflector loop owns it).
/// </summary>
internal sealed class ReflectorCache
{
    private readonly Dictionary<ObjectKey, KubeObject> _objects = [];

    public int Count => _objects.Count;

    /// <summary>Replaces everything with a fresh list and returns the difference (deletions first, then by key).</summary>
    public IReadOnlyList<ObjectChange> Replace(IEnumerable<KubeObject> listed)
    {
        var fresh = new Dictionary<ObjectKey, KubeObject>();
        foreach (var o in listed) fresh[o.Key] = o;
        var changes = new List<ObjectChange>();
        foreach (var (key, old) in _objects.OrderBy(kv => kv.Key, ObjectKey.Order))
        {
            if (!fresh.ContainsKey(key)) changes.Add(new ObjectChange(ChangeType.Deleted, old));
        }
        foreach (var (key, now) in fresh.OrderBy(kv => kv.Key, ObjectKey.Order))
        {
            if (!_objects.TryGetValue(key, out var old)) changes.Add(new ObjectChange(ChangeType.Added, now));
            else if (old.ResourceVersion != now.ResourceVersion || old.Uid != now.Uid) changes.Add(new ObjectChange(ChangeType.Modified, now));
        }
        _objects.Clear();
        foreach (var (key, o) in fresh) _objects[key] = o;
        return changes;
    }

    /// <summary>
    /// Applies an ADDED or MODIFIED event. Returns the change to report, or null when the cache already holds this
    /// resourceVersion (a duplicate). The type follows the cache, not the server's word: an ADDED for a known key
    /// is reported as modified, a MODIFIED for an unknown one as added.
    /// </summary>
    public ObjectChange? Upsert(KubeObject item)
    {
        if (_objects.TryGetValue(item.Key, out var old))
        {
            if (old.ResourceVersion == item.ResourceVersion && old.Uid == item.Uid) return null;
            _objects[item.Key] = item;
            return new ObjectChange(ChangeType.Modified, item);
        }
        _objects[item.Key] = item;
        return new ObjectChange(ChangeType.Added, item);
    }

    /// <summary>Applies a DELETED event; null when the object was not known (already reported gone).</summary>
    public ObjectChange? Delete(KubeObject item)
    {
        if (!_objects.Remove(item.Key, out var old)) return null;
        // Report the server's final state of the object when it sent one, else the last state known.
        return new ObjectChange(ChangeType.Deleted, string.IsNullOrEmpty(item.ResourceVersion) ? old : item);
    }

    public IReadOnlyList<KubeObject> Snapshot() => _objects.Values.OrderBy(o => o.Key, ObjectKey.Order).ToList();
}
