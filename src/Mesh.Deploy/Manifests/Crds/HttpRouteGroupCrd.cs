using k8s.Models;
using static Mesh.Deploy.Manifests.Crds.Schema;

namespace Mesh.Deploy.Manifests.Crds;

/// <summary>SMI's HTTPRouteGroup (specs.smi-spec.io/v1alpha4): the routes an http Egress may require.</summary>
internal static class HttpRouteGroupCrd
{
    public const string Group = "specs.smi-spec.io";

    public static V1CustomResourceDefinition Build() =>
        CustomResourceDefinitions.Build(Group, "HTTPRouteGroup", "httproutegroups", ["htr"], ["v1alpha4"], "v1alpha4", Root(), statusSubresource: false);

    private static V1JSONSchemaProps Root() =>
        Object("HTTPRouteGroup names HTTP request matches",
            ("apiVersion", String()),
            ("kind", String()),
            ("metadata", new V1JSONSchemaProps { Type = "object" }),
            ("spec", Object(null,
                ("matches", Array(
                    Object(null,
                        ("name", String()),
                        ("pathRegex", String("Regular expression the whole path (without query) must match")),
                        ("methods", Array(String(), "HTTP methods, or * for any")),
                        ("headers", StringMap("Header name to a regular expression its whole value must match"))))))
                .Required("matches")))
        .Required("spec");
}
