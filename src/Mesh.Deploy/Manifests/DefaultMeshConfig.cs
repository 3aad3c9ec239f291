using k8s.Models;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// The MeshConfig the controllers read (<c>NAMESPACE/mesh-config</c>), from the <c>mesh.*</c> values. After install it
/// belongs to the user: <c>kubectl patch meshconfig mesh-config ...</c> as in the seed documents.
/// </summary>
internal static class DefaultMeshConfig
{
    public static MeshConfigResource Build(InstallValues values, MeshNames names) => new()
    {
        Metadata = new V1ObjectMeta { Name = MeshNames.MeshConfig, NamespaceProperty = names.Namespace, Labels = names.InstanceLabels },
        Spec = new MeshConfigSpec
        {
            Traffic = new MeshConfigTraffic
            {
                EnableEgress = values.EnableEgress,
                OutboundIPRangeExclusionList = values.OutboundIPRangeExclusions.Select(c => c.ToString()).ToList(),
                OutboundIPRangeInclusionList = values.OutboundIPRangeInclusions.Select(c => c.ToString()).ToList(),
                OutboundPortExclusionList = values.OutboundPortExclusions.ToList(),
            },
            FeatureFlags = new MeshConfigFeatureFlags { EnableEgressPolicy = values.EnableEgressPolicy },
            Sidecar = new MeshConfigSidecar { LogLevel = values.SidecarLogLevel },
        },
    };
}
