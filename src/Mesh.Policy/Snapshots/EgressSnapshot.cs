using System.Collections.Frozen;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// Everything one identity's proxy needs, immutable and versioned: the mesh-wide switches, the compiled rules, and
/// indexes for deciding connections and requests fast. <see cref="Version"/> is derived from the content, so the same
/// inputs give the same version on any machine. Built by <see cref="SnapshotCompiler"/>.
/// </summary>
public sealed partial class EgressSnapshot
{
    private readonly FrozenDictionary<int, PortRules> _ports;
    private string? _json;

    internal EgressSnapshot(
        ServiceAccountIdentity identity,
        MeshConfig meshConfig,
        IReadOnlyList<CompiledRule> rules,
        IReadOnlyList<string> issues,
        FrozenDictionary<int, PortRules> ports,
        bool keepRuleJson = false)
    {
        Identity = identity;
        EnableEgress = meshConfig.EnableEgress;
        EnableEgressPolicy = meshConfig.EnableEgressPolicy;
        SidecarLogLevel = meshConfig.SidecarLogLevel;
        Rules = rules;
        Issues = issues;
        _ports = ports;
        Version = SnapshotJson.Version(this, keepRuleJson);
    }

    /// <summary>
    /// A snapshot from its parts, as received over the wire: indexes are rebuilt and the version recomputed from the
    /// content, so a receiver can check it equals the version the sender announced. The index of a port whose rules are
    /// the same instances as in <paramref name="previous"/> is taken from it, not rebuilt.
    /// </summary>
    public static EgressSnapshot FromParts(ServiceAccountIdentity identity, bool enableEgress, bool enableEgressPolicy, string sidecarLogLevel,
        IReadOnlyList<CompiledRule> rules, IReadOnlyList<string> issues, EgressSnapshot? previous = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var mesh = MeshConfig.Defaults(ClusterState.DefaultMeshConfigKey) with
        {
            EnableEgress = enableEgress,
            EnableEgressPolicy = enableEgressPolicy,
            SidecarLogLevel = sidecarLogLevel,
        };
        // Decoded: its rules are reused by the next snapshot decoded against it, so their JSON is kept for its version.
        return new EgressSnapshot(identity, mesh, rules, issues, SnapshotCompiler.BuildIndex(rules, previous), keepRuleJson: true);
    }

    public ServiceAccountIdentity Identity { get; }

    /// <summary>Content-derived: a hash of the JSON form without the version itself.</summary>
    public string Version { get; }

    /// <summary>Mesh-wide passthrough (<c>spec.traffic.enableEgress</c>).</summary>
    public bool EnableEgress { get; }

    public bool EnableEgressPolicy { get; }

    public string SidecarLogLevel { get; }

    /// <summary>The rules of every policy that names this identity, in policy order (namespace, name, port).</summary>
    public IReadOnlyList<CompiledRule> Rules { get; }

    /// <summary>Problems that narrow what the identity may reach, e.g. a referenced HTTPRouteGroup that does not exist.</summary>
    public IReadOnlyList<string> Issues { get; }

    /// <summary>
    /// The JSON form served at the proxy's <c>/config_dump</c>, with the seed's fields; made when first asked for (a proxy
    /// that applies snapshots need not spend on a form only its admin endpoint shows).
    /// </summary>
    public string Json => _json ??= SnapshotJson.Write(this); // a race makes the same string twice: harmless

    /// <summary>False when there are no rules and passthrough is off: the proxy should refuse connections outright.</summary>
    public bool CanReachAnything => EnableEgress || _ports.Count > 0;

    /// <summary>The ports that have at least one rule (server-first listeners, metrics).</summary>
    public IEnumerable<int> Ports => _ports.Keys.Order();

    public override string ToString() => $"{Identity}@{Version}";

    /// <summary>The index of one port, or null if no rule names it.</summary>
    internal PortRules? RulesOf(int port) => _ports.GetValueOrDefault(port);
}
