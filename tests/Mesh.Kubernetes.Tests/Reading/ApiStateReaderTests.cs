using System.Text.Json.Nodes;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Conversion;
using Mesh.Kubernetes.Reading;
using Mesh.Kubernetes.Tests.Support;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Kubernetes.Tests.Reading;

/// <summary>One read of everything, over HTTP, as <c>mesh egress explain --kubernetes</c> does it.</summary>
public sealed class ApiStateReaderTests
{
    private static readonly MeshResourceCatalog Catalog = new("mesh", ClusterState.DefaultMeshConfigKey);

    private static Dictionary<string, string> Enrolled => new() { [MeshResourceCatalog.MonitoredByLabel] = "mesh" };

    [Fact]
    public async Task Objects_count_as_a_controller_counts_them_in_enrolled_namespaces_with_the_same_verdicts()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.CreateNamespace("curl", Enrolled);
        cluster.CreateNamespace("elsewhere");
        cluster.CreateNamespace("mesh-system");
        cluster.Create(MeshResourceCatalog.OsmEgress, "curl", "good", FakeCluster.EgressSpec());
        cluster.Create(MeshResourceCatalog.OsmEgress, "curl", "bad", FakeCluster.EgressSpec(protocol: "udp"));
        cluster.Create(MeshResourceCatalog.OsmEgress, "elsewhere", "bad", FakeCluster.EgressSpec(protocol: "udp"));
        cluster.Create(MeshResourceCatalog.OsmMeshConfig, "mesh-system", "mesh-config",
            new JsonObject { ["traffic"] = new JsonObject { ["enableEgress"] = true } });

        var state = await ApiStateReader.ReadAsync(cluster.Client(), Catalog);

        Assert.Equal(["curl"], state.State.EnrolledNamespaces!);
        Assert.Equal(["curl/good"], state.State.Egresses.Select(e => $"{e.Key.Namespace}/{e.Key.Name}"));
        Assert.True(state.State.MeshConfig.EnableEgress);
        var rejection = Assert.Single(state.Rejections); // elsewhere/bad is another mesh's business
        Assert.Equal("spec.ports[0].protocol", rejection.FieldPath);
        Assert.Contains("curl/bad", rejection.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, state.Verdicts.Count); // curl/bad, curl/good, the MeshConfig
        Assert.Contains(state.Verdicts, v => v.Key.Name == "bad" && v.Reason == VerdictReason.Invalid);
    }

    [Fact]
    public async Task A_missing_CRD_counts_as_empty_and_a_403_names_what_to_grant()
    {
        await using var cluster = await FakeCluster.StartAsync(installCrds: false);
        Assert.Empty((await ApiStateReader.ReadAsync(cluster.Client(), Catalog)).State.Objects);

        cluster.Api.Faults.Deny("list", "namespaces");
        var e = await Assert.ThrowsAsync<KubernetesReadException>(() => ApiStateReader.ReadAsync(cluster.Client(), Catalog));
        Assert.Contains("403 Forbidden", e.Message, StringComparison.Ordinal);
        Assert.Contains("'list' on resource 'namespaces'", e.Message, StringComparison.Ordinal);
    }
}
