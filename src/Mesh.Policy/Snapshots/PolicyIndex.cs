using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// Turns a stream of <see cref="ResourceChange"/>s into per-identity snapshots, recompiling only the identities a
/// change can affect: an Egress change touches the identities in its old and new sources, an HTTPRouteGroup change
/// the identities of the Egresses that reference it, a MeshConfig or enrollment change every tracked identity.
/// Tracked identities are those named by some Egress plus those asked for with <see cref="Track"/> (a proxy may
/// serve an identity that no policy names yet). Not thread-safe: one owner (the aggregator actor) drives it.
/// </summary>
public sealed class PolicyIndex
{
    private readonly Dictionary<ServiceAccountIdentity, SortedSet<ResourceKey>> _policiesByIdentity = [];
    private readonly Dictionary<ResourceKey, HashSet<ResourceKey>> _egressesByRouteGroup = [];
    private readonly Dictionary<ServiceAccountIdentity, EgressSnapshot> _snapshots = [];
    private readonly HashSet<ServiceAccountIdentity> _requested = [];

    public PolicyIndex(ClusterState initial)
    {
        State = ClusterState.Empty with { MeshConfigKey = initial?.MeshConfigKey ?? ClusterState.DefaultMeshConfigKey, EnrolledNamespaces = initial?.EnrolledNamespaces };
        foreach (var resource in initial?.Objects.Values ?? []) Apply(new ResourceChange.Upserted(resource));
    }

    public ClusterState State { get; private set; }

    /// <summary>How many times each identity was compiled: lets tests prove recompilation is incremental.</summary>
    public IReadOnlyDictionary<ServiceAccountIdentity, int> CompileCounts => _compileCounts;

    private readonly Dictionary<ServiceAccountIdentity, int> _compileCounts = [];

    public IEnumerable<ServiceAccountIdentity> TrackedIdentities => _snapshots.Keys;

    public bool TryGetSnapshot(ServiceAccountIdentity identity, out EgressSnapshot snapshot) =>
        _snapshots.TryGetValue(identity, out snapshot!);

    /// <summary>Starts tracking an identity (if needed) and returns its current snapshot.</summary>
    public EgressSnapshot Track(ServiceAccountIdentity identity)
    {
        _requested.Add(identity);
        if (!_snapshots.TryGetValue(identity, out var snapshot)) snapshot = Recompile(identity)!;
        return snapshot;
    }

    /// <summary>
    /// Stops tracking an identity that was asked for with <see cref="Track"/> (its last proxy went away), so an index that
    /// runs for months does not keep every identity any proxy ever served. An identity some policy names stays tracked.
    /// </summary>
    public void Untrack(ServiceAccountIdentity identity)
    {
        if (!_requested.Remove(identity) || _policiesByIdentity.ContainsKey(identity)) return;
        _snapshots.Remove(identity);
        _compileCounts.Remove(identity);
    }

    /// <summary>Applies a change and returns the snapshots whose version changed (including newly tracked identities).</summary>
    public IReadOnlyList<EgressSnapshot> Apply(ResourceChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var affected = new HashSet<ServiceAccountIdentity>();
        switch (change)
        {
            case ResourceChange.Upserted { Resource: var resource }:
                Forget(resource.Key, affected);
                State = State.Upsert(resource);
                Remember(resource, affected);
                if (resource.Key == State.MeshConfigKey) affected.UnionWith(_snapshots.Keys);
                break;
            case ResourceChange.Deleted { Key: var key }:
                Forget(key, affected);
                State = State.Remove(key);
                if (key == State.MeshConfigKey) affected.UnionWith(_snapshots.Keys);
                break;
            case ResourceChange.EnrollmentChanged { Namespaces: var namespaces }:
                State = State.WithEnrolledNamespaces(namespaces);
                affected.UnionWith(_snapshots.Keys);
                affected.UnionWith(_policiesByIdentity.Keys);
                break;
        }

        var changed = new List<EgressSnapshot>();
        foreach (var identity in affected.Order(ServiceAccountIdentity.Order))
        {
            var before = _snapshots.GetValueOrDefault(identity);
            var after = Recompile(identity);
            if (after is not null && after.Version != before?.Version) changed.Add(after);
        }
        return changed;
    }

    private EgressSnapshot? Recompile(ServiceAccountIdentity identity)
    {
        var keys = _policiesByIdentity.GetValueOrDefault(identity);
        if ((keys is null || keys.Count == 0) && !_requested.Contains(identity))
        {
            // Nobody asked for it and no policy names it any more: stop tracking, but publish the empty snapshot once
            // so a proxy that was serving it learns that everything was revoked.
            _snapshots.Remove(identity);
            return CompileCounted(identity, []);
        }
        var policies = (keys ?? []).Select(k => State.Objects[k]).OfType<EgressPolicy>().Where(p => State.IsEnrolled(p.Key.Namespace));
        var snapshot = CompileCounted(identity, policies);
        _snapshots[identity] = snapshot;
        return snapshot;
    }

    private EgressSnapshot CompileCounted(ServiceAccountIdentity identity, IEnumerable<EgressPolicy> policies)
    {
        _compileCounts[identity] = _compileCounts.GetValueOrDefault(identity) + 1;
        return SnapshotCompiler.Compile(State, identity, policies);
    }

    private void Forget(ResourceKey key, HashSet<ServiceAccountIdentity> affected)
    {
        if (!State.Objects.TryGetValue(key, out var old)) return;
        if (old is EgressPolicy egress)
        {
            foreach (var identity in egress.Sources)
            {
                affected.Add(identity);
                if (_policiesByIdentity.TryGetValue(identity, out var set) && set.Remove(key) && set.Count == 0)
                {
                    _policiesByIdentity.Remove(identity);
                }
            }
            foreach (var reference in egress.Matches)
            {
                var groupKey = egress.RouteGroupKey(reference);
                if (_egressesByRouteGroup.TryGetValue(groupKey, out var set) && set.Remove(key) && set.Count == 0)
                {
                    _egressesByRouteGroup.Remove(groupKey);
                }
            }
        }
        else if (old is HttpRouteGroup)
        {
            AddIdentitiesReferencing(key, affected);
        }
    }

    private void Remember(MeshResource resource, HashSet<ServiceAccountIdentity> affected)
    {
        if (resource is EgressPolicy egress)
        {
            foreach (var identity in egress.Sources)
            {
                affected.Add(identity);
                if (!_policiesByIdentity.TryGetValue(identity, out var set))
                {
                    _policiesByIdentity[identity] = set = new SortedSet<ResourceKey>(ResourceKey.Order);
                }
                set.Add(egress.Key);
            }
            foreach (var reference in egress.Matches)
            {
                var groupKey = egress.RouteGroupKey(reference);
                if (!_egressesByRouteGroup.TryGetValue(groupKey, out var set)) _egressesByRouteGroup[groupKey] = set = [];
                set.Add(egress.Key);
            }
        }
        else if (resource is HttpRouteGroup)
        {
            AddIdentitiesReferencing(resource.Key, affected);
        }
    }

    private void AddIdentitiesReferencing(ResourceKey routeGroup, HashSet<ServiceAccountIdentity> affected)
    {
        if (!_egressesByRouteGroup.TryGetValue(routeGroup, out var egresses)) return;
        foreach (var key in egresses)
        {
            if (State.Objects.TryGetValue(key, out var r) && r is EgressPolicy e) affected.UnionWith(e.Sources);
        }
    }
}
