using System.Globalization;
using Mesh.Deploy.Manifests;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// Where the cluster's MeshConfig differs from the one these install values render. After install the MeshConfig
/// is the user's (<c>kubectl patch meshconfig</c>, as the seed documents do), so install never overwrites it; it says
/// which fields differ instead. Pure.
/// </summary>
internal static class MeshConfigDrift
{
    public static IReadOnlyList<string> Between(MeshConfigResource cluster, MeshConfigResource values)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(values);
        var fields = new (string Path, string Cluster, string Values)[]
        {
            ("spec.traffic.enableEgress", Show(cluster.Spec.Traffic.EnableEgress), Show(values.Spec.Traffic.EnableEgress)),
            ("spec.traffic.outboundIPRangeExclusionList", Show(cluster.Spec.Traffic.OutboundIPRangeExclusionList), Show(values.Spec.Traffic.OutboundIPRangeExclusionList)),
            ("spec.traffic.outboundIPRangeInclusionList", Show(cluster.Spec.Traffic.OutboundIPRangeInclusionList), Show(values.Spec.Traffic.OutboundIPRangeInclusionList)),
            ("spec.traffic.outboundPortExclusionList", Show(cluster.Spec.Traffic.OutboundPortExclusionList), Show(values.Spec.Traffic.OutboundPortExclusionList)),
            ("spec.featureFlags.enableEgressPolicy", Show(cluster.Spec.FeatureFlags.EnableEgressPolicy), Show(values.Spec.FeatureFlags.EnableEgressPolicy)),
            ("spec.sidecar.logLevel", cluster.Spec.Sidecar.LogLevel, values.Spec.Sidecar.LogLevel),
        };
        return [.. fields.Where(f => f.Cluster != f.Values).Select(f => $"{f.Path} is {f.Cluster} (these values: {f.Values})")];
    }

    private static string Show(bool b) => b ? "true" : "false";

    private static string Show<T>(IEnumerable<T>? items) =>
        "[" + string.Join(",", (items ?? []).Select(i => Convert.ToString(i, CultureInfo.InvariantCulture))) + "]";
}
