using k8s.Models;
using static Mesh.Deploy.Manifests.Crds.Schema;

namespace Mesh.Deploy.Manifests.Crds;

/// <summary>
/// The Egress policy, in OSM's group and FSM's twin. The schema checks structure, types, required fields and port
/// ranges; values (protocol names, CIDRs, host patterns) are judged by the controller, which reports them with the
/// field in the object's status, as egress-semantics.md asks (protocol is case-insensitive, so no enum here).
/// </summary>
internal static class EgressCrd
{
    public static readonly string[] Groups = ["policy.openservicemesh.io", "policy.flomesh.io"];

    public static IEnumerable<V1CustomResourceDefinition> Build() =>
        Groups.Select(group => CustomResourceDefinitions.Build(
            group, "Egress", "egresses", ["egress"], ["v1alpha1"], "v1alpha1", Root(), statusSubresource: true));

    private static V1JSONSchemaProps Root() =>
        Object("Egress allows ServiceAccounts to reach destinations outside the mesh",
            ("apiVersion", String()),
            ("kind", String()),
            ("metadata", new V1JSONSchemaProps { Type = "object" }),
            ("spec", Spec()),
            ("status", Status()))
        .Required("spec");

    private static V1JSONSchemaProps Spec() =>
        Object(null,
            ("sources", Array(
                Object(null,
                    ("kind", String("ServiceAccount")),
                    ("name", String()),
                    ("namespace", String()),
                    // OSM 1.2's optional mTLS source settings; Mesh does not read them, users may still have them.
                    ("mtls", new V1JSONSchemaProps { Type = "object" }.KeepUnknownFields()))
                .Required("kind", "name", "namespace"),
                "The ServiceAccounts this policy applies to")),
            ("hosts", Array(String(), "Host names (HTTP Host header, TLS SNI); *.example.com matches subdomains")),
            ("ipAddresses", Array(String(), "Destination CIDRs (IPv4 or IPv6); a bare address is /32 or /128")),
            ("ports", Array(
                Object(null, ("number", Port()), ("protocol", String("http, https, tcp or tcp-server-first (any case)")))
                .Required("number", "protocol"))),
            ("matches", Array(
                Object(null, ("apiGroup", String()), ("kind", String()), ("name", String()))
                .Required("apiGroup", "kind", "name"),
                "HTTPRouteGroups (specs.smi-spec.io/v1alpha4) an http request must match")))
        .Required("sources", "ports");

    /// <summary>
    /// Written by the controller's status writer (the <c>status</c> subresource): the conditions (Accepted,
    /// ResolvedRefs), and the spec last accepted, which every controller keeps in force when a later spec is invalid.
    /// </summary>
    private static V1JSONSchemaProps Status() =>
        Object(null,
            ("currentStatus", String("accepted or invalid, as OSM's policy status")),
            ("reason", String()),
            ("observedGeneration", Integer()),
            ("conditions", Array(Condition())),
            ("lastAccepted", Object("The spec Mesh last accepted (kept in force while a newer spec is invalid)",
                ("generation", Integer("metadata.generation of that spec")),
                ("spec", String("that spec, as JSON")))
                .Required("generation", "spec")));
}
