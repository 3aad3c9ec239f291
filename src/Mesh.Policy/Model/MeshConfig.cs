namespace Mesh.Policy.Model;

/// <summary>
/// The fields of a MeshConfig that egress depends on. Defaults are those of OSM when a field is absent:
/// passthrough off, egress policy on, sidecar log level <c>error</c>.
/// </summary>
public sealed record MeshConfig(
    ResourceKey Key,
    SourceLocation Source,
    bool EnableEgress,
    bool EnableEgressPolicy,
    string SidecarLogLevel,
    IReadOnlyList<Cidr> OutboundIPRangeExclusions,
    IReadOnlyList<Cidr> OutboundIPRangeInclusions,
    IReadOnlyList<int> OutboundPortExclusions) : MeshResource(Key, Source)
{
    /// <summary>What applies when the configured MeshConfig does not exist.</summary>
    public static MeshConfig Defaults(ResourceKey key) =>
        new(key, SourceLocation.Unknown, EnableEgress: false, EnableEgressPolicy: true, "error", [], [], []);
}
