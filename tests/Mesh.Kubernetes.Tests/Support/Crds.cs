using System.Text.Json.Nodes;
using Mesh.FakeKubeApi;
using Mesh.FakeKubeApi.Resources;

namespace Mesh.Kubernetes.Tests.Support;

/// <summary>CustomResourceDefinitions as users install them for OSM/FSM and SMI, created in the fake like any object.</summary>
internal static class Crds
{
    public static JsonObject Definition(string group, string plural, string kind, string[] versions, bool status = true)
    {
        var list = new JsonArray();
        foreach (var v in versions)
        {
            var version = new JsonObject { ["name"] = v, ["served"] = true, ["storage"] = v == versions[0] };
            if (status) version["subresources"] = new JsonObject { ["status"] = new JsonObject() };
            list.Add(version);
        }
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = group,
                ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind },
                ["scope"] = "Namespaced",
                ["versions"] = list,
            },
        };
    }

    public static void Install(FakeKubeApiServer api, JsonObject crd) =>
        api.Store.Create(BuiltInTypes.CustomResourceDefinitions, null, crd);

    /// <summary>Egress (OSM and FSM), HTTPRouteGroup, MeshConfig (OSM v1alpha1-3, FSM v1alpha3).</summary>
    public static void InstallMesh(FakeKubeApiServer api)
    {
        Install(api, Definition("policy.openservicemesh.io", "egresses", "Egress", ["v1alpha1"]));
        Install(api, Definition("policy.flomesh.io", "egresses", "Egress", ["v1alpha1"]));
        Install(api, Definition("specs.smi-spec.io", "httproutegroups", "HTTPRouteGroup", ["v1alpha4", "v1alpha3", "v1alpha2", "v1alpha1"], status: false));
        Install(api, Definition("config.openservicemesh.io", "meshconfigs", "MeshConfig", ["v1alpha3", "v1alpha2", "v1alpha1"], status: false));
        Install(api, Definition("config.flomesh.io", "meshconfigs", "MeshConfig", ["v1alpha3"], status: false));
    }
}
