using Mesh.Kubernetes.Catalog;
using Mesh.Policy.Model;

namespace Mesh.Kubernetes.Tests.Catalog;

public sealed class SeedDiscoveryPermissionTests
{
    private static readonly ResourceKey MeshConfig = new(ResourceKind.MeshConfig, "osm-system", "osm-mesh-config");

    [Fact]
    public void A_controller_in_a_cluster_may_list_the_pods_of_its_own_namespace_and_nothing_more_on_pods()
    {
        var rules = new MeshResourceCatalog("osm", MeshConfig, controllerNamespace: "mesh-system").Permissions;
        var pods = Assert.Single(rules, r => r.Resource == "pods");
        Assert.Equal(("", "mesh-system"), (pods.Group, pods.Namespace));
        Assert.Equal(["list"], pods.Verbs);
    }

    [Fact]
    public void Outside_a_cluster_there_is_no_seed_discovery_permission()
    {
        var rules = new MeshResourceCatalog("osm", MeshConfig).Permissions;
        Assert.DoesNotContain(rules, r => r.Resource == "pods");
    }
}
