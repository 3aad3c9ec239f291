using Mesh.Deploy.Tests.Support;

namespace Mesh.Deploy.Tests.Cluster;

/// <summary><c>mesh namespace add|remove</c> against the fake API server: OSM's label and annotation, idempotent, clear refusals.</summary>
public sealed class NamespaceCommandTests
{
    private const string Label = "openservicemesh.io/monitored-by";
    private const string Annotation = "openservicemesh.io/sidecar-injection";

    [Fact]
    public async Task Add_labels_and_annotates_as_osm_does_keeps_what_else_is_there_and_writes_nothing_the_second_time()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();
        cluster.CreateNamespace("curl", new() { ["team"] = "a" }, new() { ["owner"] = "b" });

        var run = await cluster.NamespaceAddAsync(null, "curl");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.StartsWith("namespace curl added to mesh \"mesh\"", run.Output, StringComparison.Ordinal);
        var ns = cluster.Get("namespaces", null, "curl")!;
        Assert.Equal(new Dictionary<string, string> { ["team"] = "a", [Label] = "mesh" }, FakeCluster.Labels(ns));
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "b", [Annotation] = "enabled" }, FakeCluster.Annotations(ns));

        var writes = cluster.Writes;
        var again = await cluster.NamespaceAddAsync(null, "curl");
        Assert.Equal(0, again.Exit);
        Assert.Equal("namespace curl is already in mesh \"mesh\"\n", again.Output);
        Assert.Equal(writes, cluster.Writes);
    }

    [Fact]
    public async Task Remove_takes_the_label_and_annotation_off_and_a_second_remove_says_it_is_in_no_mesh()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync(meshName: "osm", ns: "osm-system");
        cluster.CreateNamespace("bookstore", new() { ["team"] = "a" });
        cluster.CreateNamespace("bookbuyer");
        Assert.Equal(0, (await cluster.NamespaceAddAsync("osm", "bookstore", "bookbuyer")).Exit);

        var run = await cluster.NamespaceRemoveAsync("osm", "bookstore");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.StartsWith("namespace bookstore removed from mesh \"osm\"", run.Output, StringComparison.Ordinal);
        var ns = cluster.Get("namespaces", null, "bookstore")!;
        Assert.Equal(new Dictionary<string, string> { ["team"] = "a" }, FakeCluster.Labels(ns));
        Assert.Empty(FakeCluster.Annotations(ns));
        Assert.Equal("osm", FakeCluster.Labels(cluster.Get("namespaces", null, "bookbuyer")!)[Label]);

        var writes = cluster.Writes;
        var again = await cluster.NamespaceRemoveAsync("osm", "bookstore");
        Assert.Equal(0, again.Exit);
        Assert.Equal("namespace bookstore is not in any mesh\n", again.Output);
        Assert.Equal(writes, cluster.Writes);
    }

    [Fact]
    public async Task A_namespace_that_does_not_exist_is_a_clear_error()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();

        var add = await cluster.NamespaceAddAsync(null, "curl");
        var remove = await cluster.NamespaceRemoveAsync(null, "curl");

        Assert.Equal(1, add.Exit);
        Assert.Equal("mesh namespace add: namespace curl does not exist (create it first: kubectl create namespace curl)\n", add.Error);
        Assert.Equal(1, remove.Exit);
        Assert.Equal("mesh namespace remove: namespace curl does not exist (create it first: kubectl create namespace curl)\n", remove.Error);
    }

    [Fact]
    public async Task Refusals_another_meshs_namespace_the_meshs_own_namespace_a_mesh_not_installed_the_wrong_mesh_on_remove()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.CreateNamespace("curl");
        var notInstalled = await cluster.NamespaceAddAsync(null, "curl");
        Assert.Equal(1, notInstalled.Exit);
        Assert.Contains("mesh \"mesh\" is not installed in this cluster", notInstalled.Error, StringComparison.Ordinal);
        Assert.Empty(FakeCluster.Labels(cluster.Get("namespaces", null, "curl")!));

        await cluster.InstallReadyAsync();
        cluster.CreateNamespace("other", new() { [Label] = "osm" });
        var taken = await cluster.NamespaceAddAsync(null, "other");
        Assert.Equal(1, taken.Exit);
        Assert.Equal("mesh namespace add: namespace other is in mesh \"osm\" (openservicemesh.io/monitored-by=osm); a namespace belongs to one mesh: " +
            "mesh namespace remove other --mesh-name osm first\n", taken.Error);

        var own = await cluster.NamespaceAddAsync(null, "mesh-system");
        Assert.Equal(1, own.Exit);
        Assert.Contains("namespace mesh-system holds the controllers of mesh \"mesh\"", own.Error, StringComparison.Ordinal);

        var wrongMesh = await cluster.NamespaceRemoveAsync(null, "other");
        Assert.Equal(1, wrongMesh.Exit);
        Assert.Equal("mesh namespace remove: namespace other is in mesh \"osm\", not \"mesh\": name its mesh with --mesh-name osm\n", wrongMesh.Error);
        Assert.Equal("osm", FakeCluster.Labels(cluster.Get("namespaces", null, "other")!)[Label]);
    }

    [Fact]
    public async Task Forbidden_says_so()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();
        cluster.CreateNamespace("curl");
        cluster.Api.Faults.Deny("patch", "namespaces");

        var run = await cluster.NamespaceAddAsync(null, "curl");

        Assert.Equal(1, run.Exit);
        Assert.StartsWith("mesh namespace add: cannot patch namespace curl: 403 Forbidden", run.Error, StringComparison.Ordinal);
    }
}
