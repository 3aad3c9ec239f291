using System.Globalization;
using k8s.Models;

namespace Mesh.Deploy.Injection;

/// <summary>
/// What the init container installs in one pod, as <c>deploy/sidecar-init.sh</c> reads it from its environment:
/// redirect outbound TCP to the proxy, except the proxy's own user, loopback, the excluded ranges and ports; and when
/// ranges are included, only those (OSM's semantics: exclusions first, then inclusions, the rest goes direct).
/// The MeshConfig's lists and the pod's annotations add up, as in OSM.
/// </summary>
internal sealed record InterceptionRules(
    int OutboundPort,
    int ProxyUid,
    IReadOnlyList<string> ExcludedRanges,
    IReadOnlyList<string> IncludedRanges,
    IReadOnlyList<int> ExcludedPorts)
{
    public static InterceptionRules For(IDictionary<string, string>? podAnnotations, MeshTraffic mesh, int outboundPort, int proxyUid) => new(
        outboundPort,
        proxyUid,
        Union(mesh.ExcludedRanges, PodAnnotations.Cidrs(podAnnotations, PodAnnotations.OutboundIPRangeExclusionList)),
        Union(mesh.IncludedRanges, PodAnnotations.Cidrs(podAnnotations, PodAnnotations.OutboundIPRangeInclusionList)),
        [.. mesh.ExcludedPorts.Concat(PodAnnotations.Ports(podAnnotations, PodAnnotations.OutboundPortExclusionList)).Distinct().Order()]);

    /// <summary>The script's environment (names documented at the top of sidecar-init.sh).</summary>
    public List<V1EnvVar> Environment() =>
    [
        new() { Name = "MESH_OUTBOUND_PORT", Value = OutboundPort.ToString(CultureInfo.InvariantCulture) },
        new() { Name = "MESH_PROXY_UID", Value = ProxyUid.ToString(CultureInfo.InvariantCulture) },
        new() { Name = "MESH_EXCLUDE_CIDRS", Value = string.Join(' ', ExcludedRanges) },
        new() { Name = "MESH_INCLUDE_CIDRS", Value = string.Join(' ', IncludedRanges) },
        new() { Name = "MESH_EXCLUDE_PORTS", Value = string.Join(' ', ExcludedPorts.Select(p => p.ToString(CultureInfo.InvariantCulture))) },
    ];

    private static List<string> Union(IEnumerable<Mesh.Policy.Model.Cidr> first, IEnumerable<Mesh.Policy.Model.Cidr> second) =>
        [.. first.Concat(second).Select(c => c.ToString()).Distinct(StringComparer.Ordinal)];
}
