using k8s;
using k8s.Models;
using Mesh.E2E.World;

namespace Mesh.E2E.Kubernetes;

/// <summary>
/// <c>mesh controller --kubernetes</c> against the fake API server run as its own process, and a <c>mesh proxy</c>
/// fed by it behind the pod's iptables interception, with curl: seed 002 done as API changes (server-side apply of
/// the seed's Egress, a merge patch of the MeshConfig as the seed's <c>kubectl patch --type=merge</c>, a delete), and
/// the status the controller writes back. The CRDs are those <c>mesh install --dry-run</c> renders.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class KubernetesControllerTests(TestWorld world)
{
    private const int Limit = 120_000;
    private const int ClusterPort = 14_071;
    private const int AdminPort = 15_071;
    private const string HttpGet = "http://httpbin.org:80/get";
    private const string OtherSite = "https://openservicemesh.io:443";

    private static readonly TimeSpan StatusLimit = TimeSpan.FromSeconds(10);

    [Fact(Timeout = Limit)]
    public async Task The_egress_policy_demo_as_API_changes_reaches_the_proxy_and_the_status_says_what_is_in_force()
    {
        await using var api = await world.StartFakeApiAsync();
        await InstallCrdsAsync(api);
        await api.ApplyAsync(FakeApiProcess.NamespacePath("mesh-system"), Namespace("mesh-system", enrolled: false));
        await api.ApplyAsync(FakeApiProcess.NamespacePath("curl"), Namespace("curl", enrolled: true));
        var meshConfig = FakeApiProcess.MeshConfigPath("mesh-system", "mesh-config");
        await api.ApplyAsync(meshConfig, SeedManifest.Read("000-mesh-config-egress-off.yaml"));

        await using var controller = await world.StartKubernetesControllerAsync(api.KubeconfigPath, ClusterPort, AdminPort);
        await using var proxy = await world.StartProxyAsync([ClusterPort]);
        var steps = new DemoSteps(world, proxy);

        await steps.ExpectRefusedAsync("-sI", HttpGet);
        var egress = FakeApiProcess.EgressPath("curl", "httpbin-80");
        await api.ApplyAsync(egress, SeedManifest.Read("002-httpbin-80.yaml"));
        var (_, seen) = await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", HttpGet);
        DemoSteps.AssertSeen(seen, e => e is { Event: "request", Host: "httpbin.org", Path: "/get" }, "GET /get for httpbin.org on port 80");
        await steps.ExpectResetAsync("-sI", OtherSite); // the identity has a rule, not for this

        var status = await Eventually.UntilAsync(() => api.GetAsync(egress), r => r.Stdout.Contains("\"type\":\"Accepted\",\"status\":\"True\"", StringComparison.Ordinal), StatusLimit);
        Assert.True(status.Stdout.Contains("\"type\":\"Accepted\",\"status\":\"True\"", StringComparison.Ordinal), $"no Accepted condition: {status}\n{controller.RecentOutput}");
        Assert.Contains("\"lastAccepted\":{\"generation\":1", status.Stdout, StringComparison.Ordinal);

        // kubectl patch meshconfig mesh-config -n mesh-system -p '{"spec":{"traffic":{"enableEgress":true}}}' --type=merge
        await api.MergePatchAsync(meshConfig, """{"spec":{"traffic":{"enableEgress":true}}}""");
        await steps.ExpectStatusAsync("HTTP/2 200", "-sI", OtherSite);
        await api.MergePatchAsync(meshConfig, """{"spec":{"traffic":{"enableEgress":false}}}""");
        await steps.ExpectResetAsync("-sI", OtherSite);

        // An invalid edit keeps what works; its status says which field.
        await api.ApplyAsync(egress, SeedManifest.Read("002-httpbin-80.yaml").Replace("protocol: http", "protocol: htp", StringComparison.Ordinal));
        status = await Eventually.UntilAsync(() => api.GetAsync(egress), r => r.Stdout.Contains("\"reason\":\"Invalid\"", StringComparison.Ordinal), StatusLimit);
        Assert.Contains("spec.ports[0].protocol", status.Stdout, StringComparison.Ordinal);
        await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", HttpGet);

        await api.DeleteAsync(egress);
        await steps.ExpectRefusedAsync("-sI", HttpGet);
        var ready = await controller.AdminGetAsync("/ready");
        Assert.StartsWith("ready", ready.Stdout, StringComparison.Ordinal);
        var metrics = await controller.AdminGetAsync("/metrics");
        foreach (var counter in new[] { "mesh_kubernetes_lists_total", "mesh_kubernetes_watch_events_total", "mesh_control_status_writes_total", "dotnet_collection_count_total" })
        {
            Assert.True(metrics.Stdout.Contains(counter + "{", StringComparison.Ordinal), $"{counter} missing from /metrics\n{metrics}");
        }
        Assert.True(metrics.Stdout.Contains("\ndotnet_total_memory_bytes ", StringComparison.Ordinal), $"the GC heap size is missing from /metrics\n{metrics}");
    }

    /// <summary>The CRDs of an installation, applied as `mesh install --dry-run | kubectl apply -f -` would apply them.</summary>
    private static async Task InstallCrdsAsync(FakeApiProcess api)
    {
        var rendered = await ProcessRunner.RunAsync(Prerequisites.Which("dotnet")!, [RepoPaths.MeshDll, "install", "--dry-run"]);
        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        var crds = SeedManifest.Documents(rendered.Stdout).Where(d => d.Split('\n').Any(l => l.TrimEnd() == "kind: CustomResourceDefinition")).ToList();
        Assert.Equal(5, crds.Count); // Egress x2, HTTPRouteGroup, MeshConfig x2
        foreach (var crd in crds)
        {
            var name = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(crd).Metadata.Name;
            await api.ApplyAsync(FakeApiProcess.CrdPath(name), crd);
        }
    }

    private static string Namespace(string name, bool enrolled) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {name}
        {(enrolled ? "  labels:\n    openservicemesh.io/monitored-by: mesh\n" : "")}
        """;
}
