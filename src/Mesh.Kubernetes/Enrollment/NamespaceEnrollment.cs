using System.Collections.Immutable;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;
using Mesh.Kubernetes.Reflection;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Kubernetes.Enrollment;

/// <summary>
/// Which namespaces are enrolled in this mesh (labelled <c>openservicemesh.io/monitored-by: &lt;mesh name&gt;</c>, as
/// <c>osm namespace add</c> does), from the namespace reflector's reports, and what counts because of it. Pure; one
/// instance per actor.
/// </summary>
/// <remarks>
/// The reflector already asks the server for labelled namespaces only; the label is checked again here so that a
/// server ignoring the selector cannot enroll every namespace (fail closed). Until the first list, nothing is
/// enrolled and <see cref="IsSynced"/> is false.
/// </remarks>
public sealed class NamespaceEnrollment
{
    private ImmutableHashSet<string> _enrolled = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _labelled = new(StringComparer.Ordinal);

    public NamespaceEnrollment(string meshName, ResourceKey meshConfigKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(meshName);
        MeshName = meshName;
        MeshConfigKey = meshConfigKey;
    }

    public string MeshName { get; }

    public ResourceKey MeshConfigKey { get; }

    public bool IsSynced { get; private set; }

    public ImmutableHashSet<string> Enrolled => _enrolled;

    /// <summary>Takes a list; returns the change of the enrolled set, or null if the set is the same (and was reported).</summary>
    public EnrollmentDelta? Apply(ReflectorSynced synced)
    {
        ArgumentNullException.ThrowIfNull(synced);
        var first = !IsSynced;
        IsSynced = true;
        _labelled.Clear();
        foreach (var ns in synced.Objects) _labelled[ns.Name] = IsEnrolled(ns);
        return Settle(force: first);
    }

    /// <summary>Takes one namespace change; returns the change of the enrolled set, or null.</summary>
    public EnrollmentDelta? Apply(ReflectorChanged changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var ns = changed.Change.Item;
        if (changed.Change.Type == ChangeType.Deleted) _labelled.Remove(ns.Name);
        else _labelled[ns.Name] = IsEnrolled(ns);
        return IsSynced ? Settle(force: false) : null;
    }

    /// <summary>
    /// Whether an object counts for this mesh: an Egress or HTTPRouteGroup only in an enrolled namespace; a
    /// MeshConfig only if it is the one named by configuration (its namespace, usually the control plane's, need
    /// not be enrolled). Status is written, and rejections reported, only for objects that count: another mesh's
    /// namespaces are not Mesh's to judge.
    /// </summary>
    public bool Counts(ResourceKey key) => key.Kind switch
    {
        ResourceKind.MeshConfig => key == MeshConfigKey,
        _ => _enrolled.Contains(key.Namespace),
    };

    public bool Counts(ResourceKind kind, ObjectKey key) => Counts(new ResourceKey(kind, key.Namespace, key.Name));

    private bool IsEnrolled(KubeObject ns) =>
        ns.Labels.TryGetValue(MeshResourceCatalog.MonitoredByLabel, out var mesh) && mesh == MeshName;

    private EnrollmentDelta? Settle(bool force)
    {
        var now = _labelled.Where(kv => kv.Value).Select(kv => kv.Key).ToImmutableHashSet(StringComparer.Ordinal);
        if (!force && now.SetEquals(_enrolled)) return null;
        var added = now.Except(_enrolled).Order(StringComparer.Ordinal).ToList();
        var removed = _enrolled.Except(now).Order(StringComparer.Ordinal).ToList();
        _enrolled = now;
        return new EnrollmentDelta(now, added, removed);
    }
}
