using Mesh.Policy.Model;

namespace Mesh.Policy.State;

/// <summary>
/// The changes that turn one set of objects into another: deletions first, then new or changed objects, each in
/// <see cref="ResourceKey.Order"/>, so the same two sets always give the same list. A source computing what changed
/// in its files and the aggregator reconciling after a resync use this one algorithm.
/// </summary>
public static class ResourceDiff
{
    public static List<ResourceChange> Between(IReadOnlyDictionary<ResourceKey, MeshResource> before, IReadOnlyDictionary<ResourceKey, MeshResource> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<ResourceChange>();
        foreach (var key in before.Keys.Where(k => !after.ContainsKey(k)).Order(ResourceKey.Order))
        {
            changes.Add(new ResourceChange.Deleted(key));
        }
        foreach (var (key, resource) in after.OrderBy(kv => kv.Key, ResourceKey.Order))
        {
            if (!before.TryGetValue(key, out var old) || !ResourceFingerprint.Same(old, resource))
            {
                changes.Add(new ResourceChange.Upserted(resource));
            }
        }
        return changes;
    }
}
