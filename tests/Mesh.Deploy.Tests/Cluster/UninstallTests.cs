using k8s;
using Mesh.Deploy.Tests.Support;

namespace Mesh.Deploy.Tests.Cluster;

/// <summary><c>mesh uninstall</c> against the fake API server.</summary>
public sealed class UninstallTests
{
    private static readonly (string Resource, string? Namespace, string Name)[] Removed =
    [
        ("mutatingwebhookconfigurations.admissionregistration.k8s.io", null, "mesh-sidecar-injector"),
        ("poddisruptionbudgets.policy", "mesh-system", "mesh-controller"),
        ("deployments.apps", "mesh-system", "mesh-controller"),
        ("services", "mesh-system", "mesh-injector"),
        ("services", "mesh-system", "mesh-controller"),
        ("configmaps", "mesh-system", "mesh-install-values"),
        ("meshconfigs.config.openservicemesh.io", "mesh-system", "mesh-config"),
        ("secrets", "mesh-system", "mesh-injector-tls"),
        ("rolebindings.rbac.authorization.k8s.io", "mesh-system", "mesh-controller"),
        ("roles.rbac.authorization.k8s.io", "mesh-system", "mesh-controller"),
        ("clusterrolebindings.rbac.authorization.k8s.io", null, "mesh-controller"),
        ("clusterroles.rbac.authorization.k8s.io", null, "mesh-controller"),
        ("serviceaccounts", "mesh-system", "mesh-controller"),
    ];

    [Fact]
    public async Task Uninstall_deletes_what_install_created_webhook_first_keeps_crds_namespace_and_user_objects_and_is_idempotent()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();
        cluster.CreateNamespace("curl");
        Assert.Equal(0, (await cluster.NamespaceAddAsync(null, "curl")).Exit);
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "policy.openservicemesh.io/v1alpha1",
            ["kind"] = "Egress",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "httpbin", ["namespace"] = "curl" },
            ["spec"] = new Dictionary<string, object> { ["sources"] = Array.Empty<object>() },
        }, "policy.openservicemesh.io", "v1alpha1", "curl", "egresses");
        cluster.Api.Requests.Clear();

        var run = await cluster.UninstallAsync();

        Assert.True(run.Exit == 0, run.ToString());
        foreach (var (resource, ns, name) in Removed) Assert.True(cluster.Get(resource, ns, name) is null, $"{resource} {ns}/{name} still there");
        Assert.Equal(Removed.Length, run.Lines.Count(l => l.EndsWith(" deleted", StringComparison.Ordinal)));
        Assert.Equal("mutatingwebhookconfigurations", cluster.Api.Requests.Where("delete")[0].Resource);
        Assert.NotNull(cluster.Get("namespaces", null, "mesh-system"));
        Assert.NotNull(cluster.Get("customresourcedefinitions.apiextensions.k8s.io", null, "egresses.policy.openservicemesh.io"));
        Assert.NotNull(cluster.Get("egresses.policy.openservicemesh.io", "curl", "httpbin"));
        Assert.Contains("namespace/mesh-system kept: --delete-namespace deletes it and everything in it", run.Output, StringComparison.Ordinal);
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/egresses.policy.openservicemesh.io kept: CRDs stay", run.Output, StringComparison.Ordinal);
        Assert.Contains("namespaces still labelled openservicemesh.io/monitored-by=mesh (their new pods are no longer injected): curl", run.Output, StringComparison.Ordinal);
        Assert.Contains("Mesh \"mesh\" is uninstalled (13 objects deleted).", run.Output, StringComparison.Ordinal);

        var writes = cluster.Writes;
        var again = await cluster.UninstallAsync();
        Assert.True(again.Exit == 0, again.ToString());
        Assert.Equal(writes, cluster.Writes);
        Assert.Equal(Removed.Length, again.Lines.Count(l => l.EndsWith(" absent", StringComparison.Ordinal)));
        Assert.Contains("was not installed in namespace mesh-system: nothing deleted", again.Output, StringComparison.Ordinal);

        // And it installs again from there.
        await cluster.InstallReadyAsync();
    }

    [Fact]
    public async Task Delete_crds_and_namespace_removes_everything_including_the_objects_of_those_kinds()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();

        var run = await cluster.UninstallAsync(deleteCrds: true, deleteNamespace: true);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Null(cluster.Get("namespaces", null, "mesh-system"));
        Assert.Null(cluster.Get("customresourcedefinitions.apiextensions.k8s.io", null, "egresses.policy.openservicemesh.io"));
        Assert.Null(cluster.Get("customresourcedefinitions.apiextensions.k8s.io", null, "meshconfigs.config.flomesh.io"));
        Assert.Contains("(19 objects deleted)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uninstall_touches_only_the_named_mesh()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();
        await cluster.InstallReadyAsync(meshName: "osm", ns: "osm-system");

        var run = await cluster.UninstallAsync(meshName: "osm", ns: "osm-system");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Null(cluster.Get("deployments.apps", "osm-system", "osm-controller"));
        Assert.NotNull(cluster.Get("deployments.apps", "mesh-system", "mesh-controller"));
        Assert.NotNull(cluster.Get("mutatingwebhookconfigurations.admissionregistration.k8s.io", null, "mesh-sidecar-injector"));
        Assert.NotNull(cluster.Get("clusterroles.rbac.authorization.k8s.io", null, "mesh-controller"));
    }
}
