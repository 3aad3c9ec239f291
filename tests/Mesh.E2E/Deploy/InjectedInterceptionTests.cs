using k8s;
using k8s.Models;
using Mesh.Deploy.Injection;
using Mesh.E2E.World;
using static Mesh.E2E.World.WorldAddresses;

namespace Mesh.E2E.Deploy;

/// <summary>
/// The init container that <c>mesh inject</c> generates, run as a pod would run it: a MeshConfig with exclusion lists
/// and a pod annotation go into `mesh inject`; its init container's command and environment are executed in a fresh
/// pod namespace; `mesh run` serves as the proxy. Excluded ranges and ports then reach the origins directly, and
/// everything else goes through the proxy: with passthrough off the proxy refuses it (curl exit 7, nothing reaches
/// the origin), with passthrough on it is let through and logged as the proxy's decision.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class InjectedInterceptionTests(TestWorld world) : IAsyncLifetime
{
    private const string PodManifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: curl
          namespace: curl
          annotations:
            openservicemesh.io/outbound-ip-range-exclusion-list: "198.18.0.4/32"
        spec:
          serviceAccountName: curl
          containers:
          - name: curl
            image: curlimages/curl
        """;

    private ScratchPod _pod = null!;
    private readonly string _scratch = Directory.CreateTempSubdirectory("mesh-e2e-inject-").FullName;

    public async Task InitializeAsync() => _pod = await ScratchPod.CreateAsync(world);

    public async Task DisposeAsync()
    {
        await _pod.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    /// <summary>openservicemesh.io (by range, IPv4 and IPv6) and port 3306 excluded by the MeshConfig, api.example.test by the pod's annotation.</summary>
    private static string MeshConfig(bool enableEgress) => $"""
        apiVersion: config.openservicemesh.io/v1alpha2
        kind: MeshConfig
        metadata:
          name: mesh-config
          namespace: mesh-system
        spec:
          traffic:
            enableEgress: {(enableEgress ? "true" : "false")}
            outboundIPRangeExclusionList:
            - {OpenServiceMeshIo}/32
            - "{OpenServiceMeshIo6}/128"
            outboundPortExclusionList:
            - {ServerFirstPort}
          featureFlags:
            enableEgressPolicy: true
        """;

    [Fact(Timeout = 120_000)]
    public async Task Excluded_ranges_and_ports_go_around_the_proxy_and_everything_else_through_it()
    {
        var init = await InjectAsync(MeshConfig(enableEgress: false));
        var env = init.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal($"{ProxyUid}", env["MESH_PROXY_UID"]);
        Assert.Equal($"{OutboundPort}", env["MESH_OUTBOUND_PORT"]);
        await RunInitAsync(init);

        var manifests = world.CreateManifestDirectory();
        manifests.Write("mesh-config.yaml", MeshConfig(enableEgress: false));
        await using var mesh = await MeshProcess.StartAsync(_pod.Name, TestWorld.ProxyUserPrefix, world.Binaries.MeshDll, ["run", "--manifests", manifests.Path, "--identity", "curl/curl"], world.RootOnlyDirectory);

        // The network itself lets everything through: the proxy's own uid reaches every origin.
        foreach (var host in new[] { "httpbin.org", "openservicemesh.io", "api.example.test" })
        {
            var direct = await _pod.CurlAsProxyUserAsync(world, "-sI", $"http://{host}/get");
            Assert.True(direct.ExitCode == 0 && direct.StatusLine == "HTTP/1.1 200 OK", direct.ToString());
        }

        // Passthrough off, no policy: whatever is intercepted is refused by the proxy, and never reaches the origin.
        var mark = world.OriginLog.Mark();
        foreach (var refused in new[] { "http://httpbin.org/get", $"http://[{HttpbinOrg6}]/get", "https://httpbin.org/get" })
        {
            var attempt = await _pod.CurlAsync(world, "-sI", "-g", refused);
            Assert.True(attempt.ExitCode == 7, $"{refused} should be refused by the proxy\n{attempt}\n{mesh.RecentOutput}");
        }
        Assert.True(world.OriginLog.Since(mark).Count == 0, world.OriginLog.Describe(mark));

        // Excluded: straight to the origin, which sees the pod's own address.
        foreach (var excluded in new[] { "http://openservicemesh.io/get", $"http://[{OpenServiceMeshIo6}]/get", "http://api.example.test/get" })
        {
            mark = world.OriginLog.Mark();
            var answer = await _pod.CurlAsync(world, "-sI", "-g", excluded);
            Assert.True(answer.ExitCode == 0 && answer.StatusLine == "HTTP/1.1 200 OK", $"{excluded} is excluded\n{answer}");
            Assert.Contains(world.OriginLog.Since(mark), e => e.Event == "request" && e.Remote is { } r && (r.StartsWith(ScratchPod.Address + ":", StringComparison.Ordinal) || r.StartsWith($"[{ScratchPod.Address6}]", StringComparison.Ordinal)));
        }
        var banner = await _pod.ProbeServerFirstAsync(world, $"httpbin.org:{ServerFirstPort}");
        Assert.True(banner.ExitCode == 0, $"port {ServerFirstPort} is excluded: the server-first banner should arrive\n{banner}");

        // Passthrough on (same exclusions): intercepted flows now pass, and the proxy's decision log proves which did.
        manifests.Write("mesh-config.yaml", MeshConfig(enableEgress: true));
        var through = await Eventually.UntilAsync(() => _pod.CurlAsync(world, "-sI", "http://httpbin.org/get"), r => r.ExitCode == 0);
        Assert.True(through.StatusLine == "HTTP/1.1 200 OK", $"{through}\n{mesh.RecentOutput}");
        var aroundFirst = await _pod.CurlAsync(world, "-sI", "http://openservicemesh.io/get");
        Assert.True(aroundFirst.ExitCode == 0, aroundFirst.ToString());
        var last = await _pod.CurlAsync(world, "-sI", "http://httpbin.org/status/200");
        Assert.True(last.ExitCode == 0, last.ToString());
        // Logged when a connection ends; once the later httpbin.org flow is logged, an earlier one through the proxy would be too.
        var logged = await Eventually.UntilAsync(() => Task.FromResult(mesh.RecentDecisions), d => d.Count(e => e.Destination == $"{HttpbinOrg}:80") >= 2);
        Assert.True(logged.Count(e => e.Destination == $"{HttpbinOrg}:80" && e.Verdict == "Allow") >= 2, mesh.RecentOutput);
        Assert.DoesNotContain(logged, e => e.Destination.StartsWith(OpenServiceMeshIo + ":", StringComparison.Ordinal) || e.Destination.StartsWith(ApiExampleTest + ":", StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task With_an_inclusion_list_only_those_ranges_go_through_the_proxy()
    {
        var config = $"""
            apiVersion: config.openservicemesh.io/v1alpha2
            kind: MeshConfig
            metadata: {"{"}name: mesh-config, namespace: mesh-system{"}"}
            spec:
              traffic:
                enableEgress: false
                outboundIPRangeInclusionList: [{HttpbinOrg}/32]
            """;
        await RunInitAsync(await InjectAsync(config, annotated: false));
        var manifests = world.CreateManifestDirectory();
        manifests.Write("mesh-config.yaml", config);
        await using var mesh = await MeshProcess.StartAsync(_pod.Name, TestWorld.ProxyUserPrefix, world.Binaries.MeshDll, ["run", "--manifests", manifests.Path, "--identity", "curl/curl"], world.RootOnlyDirectory);

        var included = await _pod.CurlAsync(world, "-sI", "http://httpbin.org/get");
        Assert.True(included.ExitCode == 7, $"httpbin.org is included: the proxy refuses it\n{included}\n{mesh.RecentOutput}");
        foreach (var other in new[] { "http://openservicemesh.io/get", $"http://[{HttpbinOrg6}]/get" })
        {
            var answer = await _pod.CurlAsync(world, "-sI", "-g", other);
            Assert.True(answer.ExitCode == 0 && answer.StatusLine == "HTTP/1.1 200 OK", $"{other} is not included: it goes direct\n{answer}");
        }
    }

    /// <summary>`mesh inject --mesh-config` as a user runs it; returns the init container it generated.</summary>
    private async Task<V1Container> InjectAsync(string meshConfig, bool annotated = true)
    {
        var podFile = Path.Combine(_scratch, "pod.yaml");
        var configFile = Path.Combine(_scratch, "mesh-config.yaml");
        await File.WriteAllTextAsync(podFile, annotated ? PodManifest : PodManifest.Replace("openservicemesh.io/outbound-ip-range-exclusion-list", "unrelated", StringComparison.Ordinal));
        await File.WriteAllTextAsync(configFile, meshConfig);
        var injected = await ProcessRunner.RunAsync(Prerequisites.Which("dotnet")!, [world.Binaries.MeshDll, "inject", "-f", podFile, "--mesh-config", configFile]);
        Assert.True(injected.ExitCode == 0, injected.ToString());
        var pod = KubernetesYaml.Deserialize<V1Pod>(injected.Stdout);
        var init = pod.Spec.InitContainers.Single(c => c.Name == SidecarContainers.InitName);
        Assert.Equal(["/bin/sh", SidecarContainers.InitScript], init.Command);
        return init;
    }

    /// <summary>The init container's command with its environment, in the pod's namespace; the image's script is deploy/sidecar-init.sh.</summary>
    private async Task RunInitAsync(V1Container init)
    {
        var script = Path.Combine(RepoPaths.Root, "deploy", "sidecar-init.sh");
        var run = await _pod.RunAsync(["env", .. init.Env.Select(e => $"{e.Name}={e.Value}"), init.Command[0], script]);
        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
