using Mesh.Deploy.Values;
using Mesh.Policy.Model;

namespace Mesh.Deploy.Injection;

/// <summary>
/// The mesh-wide interception exclusions of MeshConfig <c>spec.traffic</c>: the live MeshConfig's when the webhook
/// injects, the install values' (what the default MeshConfig says) or a MeshConfig file's for <c>mesh inject</c>.
/// </summary>
internal sealed record MeshTraffic(IReadOnlyList<Cidr> ExcludedRanges, IReadOnlyList<Cidr> IncludedRanges, IReadOnlyList<int> ExcludedPorts)
{
    public static MeshTraffic None { get; } = new([], [], []);

    public static MeshTraffic From(MeshConfig config) =>
        new(config.OutboundIPRangeExclusions, config.OutboundIPRangeInclusions, config.OutboundPortExclusions);

    public static MeshTraffic From(InstallValues values) =>
        new(values.OutboundIPRangeExclusions, values.OutboundIPRangeInclusions, values.OutboundPortExclusions);
}
