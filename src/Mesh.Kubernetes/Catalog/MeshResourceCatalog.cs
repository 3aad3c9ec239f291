using Mesh.Policy.Model;

namespace Mesh.Kubernetes.Catalog;

/// <summary>
/// The one place that says what Mesh reads and writes in the Kubernetes API: which resources, in which groups and
/// versions, narrowed how, with which verbs. Watchers, the status writer and the RBAC check all start from here.
/// </summary>
/// <remarks>
/// Groups and versions are those of <c>egress-semantics.md</c> (Mesh.Policy's manifest loader accepts exactly
/// these; a test keeps the two in step). Within one kind, sources are listed in order of precedence: when two
/// groups hold an object of the same namespace and name (OSM's and FSM's Egress), the first one counts.
/// </remarks>
public sealed class MeshResourceCatalog
{
    /// <summary>The label <c>osm namespace add</c> puts on a namespace to enroll it in a mesh.</summary>
    public const string MonitoredByLabel = "openservicemesh.io/monitored-by";

    public static ApiResource OsmEgress { get; } = new("policy.openservicemesh.io", ["v1alpha1"], "egresses", "Egress", Namespaced: true);

    public static ApiResource FsmEgress { get; } = new("policy.flomesh.io", ["v1alpha1"], "egresses", "Egress", Namespaced: true);

    public static ApiResource HttpRouteGroups { get; } = new("specs.smi-spec.io", ["v1alpha4"], "httproutegroups", "HTTPRouteGroup", Namespaced: true);

    /// <summary>Newest first: when a CRD serves several of them, the newest one Mesh knows is read.</summary>
    public static ApiResource OsmMeshConfig { get; } =
        new("config.openservicemesh.io", ["v1alpha3", "v1alpha2", "v1alpha1"], "meshconfigs", "MeshConfig", Namespaced: true);

    public static ApiResource FsmMeshConfig { get; } = new("config.flomesh.io", ["v1alpha3"], "meshconfigs", "MeshConfig", Namespaced: true);

    public static ApiResource Namespaces { get; } = new("", ["v1"], "namespaces", "Namespace", Namespaced: false);

    /// <param name="meshName">The mesh's name: the value of the namespace label <see cref="MonitoredByLabel"/>.</param>
    /// <param name="meshConfigKey">The one MeshConfig that counts.</param>
    public MeshResourceCatalog(string meshName, ResourceKey meshConfigKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(meshName);
        if (meshConfigKey.Kind != ResourceKind.MeshConfig) throw new ArgumentException("not a MeshConfig key", nameof(meshConfigKey));
        MeshName = meshName;
        MeshConfigKey = meshConfigKey;
        Egresses = [new(OsmEgress, ResourceKind.Egress), new(FsmEgress, ResourceKind.Egress)];
        RouteGroups = [new(HttpRouteGroups, ResourceKind.HttpRouteGroup)];
        // Only the MeshConfig named by configuration counts: the server filters by name, so a Role in that namespace
        // is all the access this needs.
        var byName = $"metadata.name={meshConfigKey.Name}";
        MeshConfigs =
        [
            new(OsmMeshConfig, ResourceKind.MeshConfig, meshConfigKey.Namespace, FieldSelector: byName),
            new(FsmMeshConfig, ResourceKind.MeshConfig, meshConfigKey.Namespace, FieldSelector: byName),
        ];
        EnrolledNamespaces = new(Namespaces, null, LabelSelector: $"{MonitoredByLabel}={meshName}");
    }

    public string MeshName { get; }

    public ResourceKey MeshConfigKey { get; }

    /// <summary>Egress in OSM's group, then FSM's (precedence order).</summary>
    public IReadOnlyList<WatchedResource> Egresses { get; }

    public IReadOnlyList<WatchedResource> RouteGroups { get; }

    /// <summary>The named MeshConfig in OSM's group, then FSM's (precedence order).</summary>
    public IReadOnlyList<WatchedResource> MeshConfigs { get; }

    /// <summary>Namespaces labelled <c>openservicemesh.io/monitored-by: &lt;mesh name&gt;</c>.</summary>
    public WatchedResource EnrolledNamespaces { get; }

    /// <summary>Every watch, grouped by what it feeds: one watcher per kind.</summary>
    public IReadOnlyList<WatchedResource> All => [.. Egresses, .. RouteGroups, .. MeshConfigs, EnrolledNamespaces];

    /// <summary>The sources of one policy kind, in precedence order.</summary>
    public IReadOnlyList<WatchedResource> SourcesOf(ResourceKind kind) => kind switch
    {
        ResourceKind.Egress => Egresses,
        ResourceKind.HttpRouteGroup => RouteGroups,
        ResourceKind.MeshConfig => MeshConfigs,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The RBAC rules the controller needs: list and watch for every reflector, get and patch on
    /// <c>egresses/status</c> for the status writer; nothing for finding the other controllers, which resolve the
    /// headless Service's DNS name (Mesh.Cluster's ControllerAddresses). The install manifests' ClusterRole and Role are
    /// rendered from exactly these. Discovery (<c>GET /apis</c>, used to pick a MeshConfig version)
    /// is open to every authenticated user through the built-in <c>system:discovery</c> role.
    /// </summary>
    public IReadOnlyList<RbacRule> Permissions
    {
        get
        {
            var rules = new List<RbacRule>();
            foreach (var w in All)
            {
                rules.Add(new(w.Resource.Group, w.Resource.Plural, [ResourceVerb.List, ResourceVerb.Watch], w.Namespace,
                    $"reflector for {w.Resource.Kind}"));
            }
            foreach (var w in Egresses)
            {
                rules.Add(new(w.Resource.Group, $"{w.Resource.Plural}/status", [ResourceVerb.Get, ResourceVerb.Patch], null,
                    "status writer: Accepted condition on each Egress"));
            }
            return rules;
        }
    }
}
