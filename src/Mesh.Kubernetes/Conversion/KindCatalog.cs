using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;
using Mesh.Kubernetes.Reflection;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Kubernetes.Conversion;

/// <summary>
/// The objects of one policy kind (Egress, HTTPRouteGroup or MeshConfig) across its sources (API groups), as
/// reflectors report them, turned into what is in force. Pure: a watcher actor feeds it its reflectors' reports
/// and forwards the <see cref="KindDelta"/>. One instance per actor; not thread-safe.
/// </summary>
/// <remarks>
/// <para>Sources are in precedence order (<see cref="MeshResourceCatalog.SourcesOf"/>): when two groups hold a valid
/// object of the same namespace and name, the first is in force and the other is <see cref="VerdictReason.Shadowed"/>.</para>
/// <para>An invalid new version does not take the object down: if its status records a last accepted spec
/// (<see cref="LastAcceptedSpec"/>, written by the status writer when it accepted it), that spec stays in force and
/// the verdict says so; otherwise the object does not take effect (fails closed). What is in force is thus a
/// function of the API's current state alone (spec and status), the same on every controller replica, including
/// one started after the bad update; in memory, a replica would keep what it happened to see.</para>
/// </remarks>
public sealed class KindCatalog
{
    private readonly List<WatchedResource> _sources;
    private readonly Dictionary<WatchedResource, Dictionary<ObjectKey, Entry>> _entries = [];
    private readonly HashSet<WatchedResource> _synced = [];
    private readonly Dictionary<ResourceKey, MeshResource> _inForce = [];
    private readonly Dictionary<(WatchedResource, ObjectKey), ObjectVerdict> _verdicts = [];
    private string _position = "";

    public KindCatalog(ResourceKind kind, IEnumerable<WatchedResource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        Kind = kind;
        _sources = [.. sources];
        if (_sources.Count == 0) throw new ArgumentException("a kind needs at least one source", nameof(sources));
        foreach (var s in _sources)
        {
            if (s.PolicyKind != kind) throw new ArgumentException($"{s} does not hold {kind} objects", nameof(sources));
            _entries[s] = [];
        }
    }

    public ResourceKind Kind { get; }

    /// <summary>Every source has completed its first list (or been found not installed).</summary>
    public bool IsSynced => _synced.Count == _sources.Count;

    public IReadOnlyCollection<MeshResource> InForce => _inForce.Values;

    public IReadOnlyCollection<ObjectVerdict> Verdicts => _verdicts.Values;

    /// <summary>
    /// The highest resourceVersion reported so far (lists, events, deletions), by <see cref="ResourceVersionOrder"/>:
    /// the input order of a snapshot built from this kind.
    /// </summary>
    public string Position => _position;

    public KindDelta Apply(ReflectorSynced synced)
    {
        ArgumentNullException.ThrowIfNull(synced);
        var entries = EntriesOf(synced.Resource);
        _synced.Add(synced.Resource);
        Advance(synced.ResourceVersion);
        var affected = new HashSet<ObjectKey>(entries.Keys);
        var fresh = new Dictionary<ObjectKey, Entry>();
        foreach (var item in synced.Objects)
        {
            Advance(item.ResourceVersion);
            fresh[item.Key] = entries.TryGetValue(item.Key, out var old) && old.Item.ResourceVersion == item.ResourceVersion && old.Item.Uid == item.Uid
                ? old
                : Entry.Of(synced.Resource, item);
            affected.Add(item.Key);
        }
        entries.Clear();
        foreach (var (k, e) in fresh) entries[k] = e;
        return Settle(affected);
    }

    public KindDelta Apply(ReflectorChanged changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var entries = EntriesOf(changed.Resource);
        var item = changed.Change.Item;
        Advance(item.ResourceVersion);
        if (changed.Change.Type == ChangeType.Deleted) entries.Remove(item.Key);
        else entries[item.Key] = Entry.Of(changed.Resource, item);
        return Settle([item.Key]);
    }

    private Dictionary<ObjectKey, Entry> EntriesOf(WatchedResource source) =>
        _entries.TryGetValue(source, out var e) ? e : throw new ArgumentException($"{source} is not a source of {Kind}", nameof(source));

    private void Advance(string resourceVersion)
    {
        if (ResourceVersionOrder.Instance.Compare(resourceVersion, _position) > 0) _position = resourceVersion;
    }

    /// <summary>Recomputes what is in force and the verdicts for some keys, and returns the difference.</summary>
    private KindDelta Settle(IEnumerable<ObjectKey> keys)
    {
        var changes = new List<ResourceChange>();
        var verdicts = new List<ObjectVerdict>();
        var gone = new List<(WatchedResource, ObjectKey)>();
        var rejections = new List<ValidationError>();
        foreach (var key in keys.Distinct().Order(ObjectKey.Order))
        {
            var resourceKey = new ResourceKey(Kind, key.Namespace, key.Name);
            WatchedResource? winner = null;
            foreach (var source in _sources)
            {
                if (!_entries[source].TryGetValue(key, out var entry))
                {
                    if (_verdicts.Remove((source, key))) gone.Add((source, key));
                    continue;
                }
                ObjectVerdict verdict;
                if ((entry.Conversion.Resource ?? entry.Kept?.Resource) is { } resource && winner is null)
                {
                    winner = source;
                    // A write that changed only the status (or a relist) gives back the same content: nothing to recompile.
                    if (!_inForce.TryGetValue(resourceKey, out var before) || !ResourceFingerprint.Same(before, resource))
                    {
                        _inForce[resourceKey] = resource;
                        changes.Add(new ResourceChange.Upserted(resource));
                    }
                    verdict = entry.Conversion.IsValid
                        ? new ObjectVerdict(source, key, entry.Item.Generation, true, VerdictReason.Accepted, "in force",
                            AcceptedSpec: LastAcceptedSpec.SpecOf(entry.Item), Observed: entry.Item)
                        : new ObjectVerdict(source, key, entry.Item.Generation, false, VerdictReason.Invalid,
                            $"{entry.Conversion.Summary}; the last accepted version (generation {entry.Kept!.Generation}) stays in force",
                            KeptGeneration: entry.Kept.Generation, Observed: entry.Item);
                }
                else if (entry.Conversion.IsValid)
                {
                    verdict = new ObjectVerdict(source, key, entry.Item.Generation, false, VerdictReason.Shadowed,
                        $"{winner!.Name} {key} has the same namespace and name and takes precedence; this object is ignored", Observed: entry.Item);
                }
                else
                {
                    verdict = new ObjectVerdict(source, key, entry.Item.Generation, false, VerdictReason.Invalid, entry.Conversion.Summary, Observed: entry.Item);
                }
                var changed = !_verdicts.TryGetValue((source, key), out var previous) || previous != verdict;
                _verdicts[(source, key)] = verdict; // an equal one too: it carries the object as now observed
                if (changed)
                {
                    verdicts.Add(verdict);
                    if (verdict.Reason == VerdictReason.Invalid) rejections.AddRange(entry.Conversion.Errors);
                }
            }
            if (winner is null && _inForce.Remove(resourceKey)) changes.Add(new ResourceChange.Deleted(resourceKey));
        }
        return changes.Count + verdicts.Count + gone.Count == 0 ? KindDelta.Empty : new KindDelta(changes, verdicts, gone, rejections);
    }

    /// <summary>The validation errors of an object's current version (empty when it is valid or unknown).</summary>
    public IReadOnlyList<ValidationError> ErrorsOf(WatchedResource source, ObjectKey key) =>
        EntriesOf(source).TryGetValue(key, out var entry) ? entry.Conversion.Errors : [];

    /// <summary>
    /// One API object and what it converted to (converted once per resourceVersion); for an invalid one, also its last
    /// accepted spec from its status, converted, when that is valid.
    /// </summary>
    private sealed record Entry(KubeObject Item, ConversionResult Conversion, Kept? Kept)
    {
        public static Entry Of(WatchedResource source, KubeObject item)
        {
            var conversion = KubeObjectConverter.Convert(source, item);
            if (conversion.IsValid || LastAcceptedSpec.Read(item) is not { } last) return new(item, conversion, null);
            // A recorded generation newer than the object's cannot be Mesh's record: ignore it (fail closed).
            if (item.Generation > 0 && last.Generation > item.Generation) return new(item, conversion, null);
            if (last.ApplyTo(item) is not { } previous) return new(item, conversion, null);
            var kept = KubeObjectConverter.Convert(source, previous, $"generation {last.Generation}, from status.{LastAcceptedSpec.Field}");
            return new(item, conversion, kept.Resource is { } resource ? new Kept(last.Generation, resource) : null);
        }
    }

    private sealed record Kept(long Generation, MeshResource Resource);
}
