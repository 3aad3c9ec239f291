using System.Text.Json.Nodes;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Conversion;
using Mesh.Kubernetes.Tests.Support;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;

namespace Mesh.Kubernetes.Tests.Conversion;

public sealed class KubeObjectConverterTests
{
    private static readonly WatchedResource Egresses = new(MeshResourceCatalog.OsmEgress, ResourceKind.Egress);

    [Fact]
    public void A_valid_egress_becomes_a_policy_whose_origin_names_the_api_object()
    {
        var result = KubeObjectConverter.Convert(Egresses, ApiObjects.Egress("shop", "httpbin", FakeCluster.EgressSpec()));

        var policy = Assert.IsType<EgressPolicy>(result.Resource);
        Assert.Empty(result.Errors);
        Assert.Equal(new ResourceKey(ResourceKind.Egress, "shop", "httpbin"), policy.Key);
        Assert.Equal("kubernetes egresses.policy.openservicemesh.io shop/httpbin", policy.Source.ToString());
        Assert.Equal([new EgressPort(80, EgressProtocol.Http)], policy.Ports);
    }

    [Fact]
    public void An_invalid_egress_is_rejected_with_namespace_name_and_field_exactly_as_a_file_would_be()
    {
        var spec = FakeCluster.EgressSpec(protocol: "udp");
        var result = KubeObjectConverter.Convert(Egresses, ApiObjects.Egress("shop", "bad", spec));

        Assert.Null(result.Resource);
        var error = Assert.Single(result.Errors);
        Assert.Equal(new ResourceKey(ResourceKind.Egress, "shop", "bad"), error.Key);
        Assert.Equal("spec.ports[0].protocol", error.FieldPath);
        Assert.Equal(0, error.Source.Line);
        Assert.Equal(
            "kubernetes egresses.policy.openservicemesh.io shop/bad: Egress shop/bad: spec.ports[0].protocol: 'udp' is not a protocol (expected http, https, tcp or tcp-server-first)",
            error.ToString());
        Assert.Equal("spec.ports[0].protocol: 'udp' is not a protocol (expected http, https, tcp or tcp-server-first)", result.Summary);

        // The same manifest as a file gives the same object, field and message.
        var file = ManifestLoader.LoadText(ApiObjects.Egress("shop", "bad", FakeCluster.EgressSpec(protocol: "udp")).ToJsonText(), "bad.yaml");
        var fileError = Assert.Single(file.Errors);
        Assert.Equal((fileError.Key, fileError.FieldPath, fileError.Message), (error.Key, error.FieldPath, error.Message));
    }

    [Fact]
    public void Every_error_of_an_object_is_reported_at_once()
    {
        var spec = new JsonObject
        {
            ["sources"] = new JsonArray(new JsonObject { ["kind"] = "Pod", ["name"] = "x", ["namespace"] = "y" }),
            ["ipAddresses"] = new JsonArray("10.0.0.0/33"),
            ["ports"] = new JsonArray(new JsonObject { ["number"] = 70000, ["protocol"] = "tcp" }),
        };
        var result = KubeObjectConverter.Convert(Egresses, ApiObjects.Egress("shop", "many", spec));
        Assert.Equal(["spec.sources[0].kind", "spec.ports[0].number", "spec.ipAddresses[0]"], result.Errors.Select(e => e.FieldPath));
    }

    [Fact]
    public void Typed_lists_without_apiVersion_and_kind_are_still_read()
    {
        var bare = Mesh.Kubernetes.Objects.KubeObject.Parse("""
            {"metadata":{"name":"e","namespace":"n","resourceVersion":"3"},
             "spec":{"sources":[{"kind":"ServiceAccount","name":"a","namespace":"n"}],"ports":[{"number":443,"protocol":"https"}]}}
            """);
        Assert.IsType<EgressPolicy>(KubeObjectConverter.Convert(Egresses, bare).Resource);
    }

    [Fact]
    public void Every_group_and_version_of_the_catalog_is_one_the_manifest_loader_accepts()
    {
        var catalog = new MeshResourceCatalog("osm", new ResourceKey(ResourceKind.MeshConfig, "osm-system", "osm-mesh-config"));
        foreach (var watched in catalog.All.Where(w => w.PolicyKind is not null))
        {
            foreach (var version in watched.Resource.Versions)
            {
                var text = new JsonObject
                {
                    ["apiVersion"] = watched.Resource.ApiVersion(version),
                    ["kind"] = watched.Resource.Kind,
                    ["metadata"] = new JsonObject { ["name"] = "x", ["namespace"] = "n" },
                }.ToJsonString();
                var loaded = ManifestLoader.LoadText(text, "catalog");
                Assert.Empty(loaded.Ignored);
                Assert.DoesNotContain(loaded.Errors, e => e.FieldPath == "apiVersion");
            }
        }
    }

    [Fact]
    public void The_rbac_rules_cover_every_watch_and_the_status_writer()
    {
        var catalog = new MeshResourceCatalog("osm", new ResourceKey(ResourceKind.MeshConfig, "osm-system", "osm-mesh-config"));
        var rules = catalog.Permissions;
        foreach (var w in catalog.All)
        {
            Assert.Contains(rules, r => r.Group == w.Resource.Group && r.Resource == w.Resource.Plural && r.Namespace == w.Namespace &&
                r.Verbs.Contains("list") && r.Verbs.Contains("watch"));
        }
        Assert.Contains(rules, r => r.Group == "policy.openservicemesh.io" && r.Resource == "egresses/status" && r.Verbs.SequenceEqual(["get", "patch"]));
        Assert.Contains(rules, r => r.Group == "policy.flomesh.io" && r.Resource == "egresses/status");
        Assert.Contains(rules, r => r.Resource == "meshconfigs" && r.Namespace == "osm-system");
    }
}
