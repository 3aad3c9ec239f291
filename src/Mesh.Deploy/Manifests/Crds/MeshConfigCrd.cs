using k8s.Models;
using static Mesh.Deploy.Manifests.Crds.Schema;

namespace Mesh.Deploy.Manifests.Crds;

/// <summary>
/// MeshConfig in OSM's group (v1alpha1..v1alpha3) and FSM's (v1alpha3). The fields Mesh reads are typed; the many it
/// does not read (certificates, observability, ...) are kept, so a user's OSM MeshConfig loads unchanged.
/// </summary>
internal static class MeshConfigCrd
{
    public static readonly (string Group, string[] Versions, string Storage)[] Groups =
    [
        ("config.openservicemesh.io", ["v1alpha1", "v1alpha2", "v1alpha3"], "v1alpha2"),
        ("config.flomesh.io", ["v1alpha3"], "v1alpha3"),
    ];

    public static IEnumerable<V1CustomResourceDefinition> Build() =>
        Groups.Select(g => CustomResourceDefinitions.Build(g.Group, "MeshConfig", "meshconfigs", ["meshconfig"], g.Versions, g.Storage, Root(), statusSubresource: false));

    private static V1JSONSchemaProps Root() =>
        Object("MeshConfig holds the mesh-wide settings",
            ("apiVersion", String()),
            ("kind", String()),
            ("metadata", new V1JSONSchemaProps { Type = "object" }),
            ("spec", Object(null,
                ("traffic", Object(null,
                    ("enableEgress", Boolean("Let any external destination through")),
                    ("outboundIPRangeExclusionList", Array(String(), "CIDRs never sent through the proxy")),
                    ("outboundIPRangeInclusionList", Array(String(), "If set, only these CIDRs go through the proxy")),
                    ("outboundPortExclusionList", Array(Port(), "Ports never sent through the proxy")))
                    .KeepUnknownFields()),
                ("featureFlags", Object(null, ("enableEgressPolicy", Boolean("Apply Egress policies"))).KeepUnknownFields()),
                ("sidecar", Object(null, ("logLevel", String())).KeepUnknownFields()))
                .KeepUnknownFields()));
}
