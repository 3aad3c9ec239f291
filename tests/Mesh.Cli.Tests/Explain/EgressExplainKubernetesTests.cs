using System.CommandLine;
using Mesh.Cli.Commands;
using Mesh.FakeKubeApi.Patching;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Cli.Tests.Explain;

/// <summary>
/// <c>mesh egress explain --kubernetes</c> against a fake API server over HTTP, reached through a kubeconfig as a
/// user's kubectl would: the live objects, validated as the controller validates them, only enrolled namespaces.
/// </summary>
[Collection("process state")] // redirects the console
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit calls IAsyncLifetime.DisposeAsync, which disposes the folder.")]
public sealed class EgressExplainKubernetesTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private FakeCluster _cluster = null!;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        _cluster = await FakeCluster.StartAsync();
        _cluster.CreateNamespace("curl", new Dictionary<string, string> { [MeshResourceCatalog.MonitoredByLabel] = "mesh" });
        _cluster.CreateNamespace("shop");
        Create(RouteGroup("egress-http-route", ("get", "/get", null, null)));
        Create(Egress("httpbin-80", "curl/curl", 80, "http", hosts: ["httpbin.org"], routeGroups: ["egress-http-route"]));
        Create(Egress("bad", "curl/curl", 22, "udp"));
        Create(Egress("shop-443", "shop/app", 443, ns: "shop"));
        _kubeconfig = _cluster.Api.WriteKubeconfig(Path.Combine(_dir.Path, "kubeconfig"));
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _dir.Dispose();
    }

    private void Create(string manifest)
    {
        var o = YamlJson.ParseObject(manifest);
        var type = _cluster.Api.Types.FindByKind((string)o["apiVersion"]!, (string)o["kind"]!)!;
        _cluster.Api.Store.Create(type, (string?)o["metadata"]!["namespace"], o);
    }

    [Fact]
    public async Task A_request_is_explained_from_the_live_objects_with_their_rejections()
    {
        var (code, output) = await ExplainAsync("--kubernetes", "--kubeconfig", _kubeconfig, "--from", "curl/curl", "--to", "httpbin.org:80", "--http", "GET", "/get");

        Assert.True(code == 0, output);
        Assert.Contains(Lines(output), l => l.StartsWith("ALLOWED: HTTP GET /get", StringComparison.Ordinal));
        Assert.Contains("Deciding rule: Egress curl/httpbin-80 port 80/http, route egress-http-route/get", output, StringComparison.Ordinal);
        Assert.Contains($"Rejected in the Kubernetes API at {_cluster.Api.BaseAddress.ToString().TrimEnd('/')} (mesh mesh)", output, StringComparison.Ordinal);
        Assert.Contains("kubernetes egresses.policy.openservicemesh.io curl/bad: Egress curl/bad: spec.ports[0].protocol", output, StringComparison.Ordinal);
        Assert.DoesNotContain("shop", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_egress_of_a_namespace_outside_the_mesh_does_not_count()
    {
        var (code, output) = await ExplainAsync("--kubernetes", "--kubeconfig", _kubeconfig, "--from", "shop/app", "--to", "192.0.2.1:443");
        Assert.True(code == 1, output);
        Assert.Contains(Lines(output), l => l.StartsWith("REFUSED", StringComparison.Ordinal));

        // Another mesh's name: curl is not enrolled in it either.
        (code, output) = await ExplainAsync("--kubernetes", "--kubeconfig", _kubeconfig, "--mesh-name", "other", "--from", "curl/curl", "--to", "httpbin.org:80", "--http", "GET", "/get");
        Assert.True(code == 1, output);
    }

    [Fact]
    public async Task A_server_that_refuses_or_a_kubeconfig_that_is_missing_is_a_usage_error_naming_why()
    {
        _cluster.Api.Faults.Deny("list", "egresses");
        var (code, output) = await ExplainAsync("--kubernetes", "--kubeconfig", _kubeconfig, "--from", "curl/curl", "--to", "192.0.2.1:443");
        Assert.True(code == 2, output);
        Assert.Contains("403 Forbidden", output, StringComparison.Ordinal);
        Assert.Contains("'list' on resource 'egresses'", output, StringComparison.Ordinal);

        var missing = Path.Combine(_dir.Path, "nope");
        (code, output) = await ExplainAsync("--kubernetes", "--kubeconfig", missing, "--from", "curl/curl", "--to", "192.0.2.1:443");
        Assert.True(code == 2, output);
        Assert.Contains(missing, output, StringComparison.Ordinal);

        (code, output) = await ExplainAsync("--kubernetes", "--manifests", _dir.Path, "--from", "curl/curl", "--to", "192.0.2.1:443");
        Assert.True(code == 2, output);
        (code, output) = await ExplainAsync("--kubeconfig", _kubeconfig, "--manifests", _dir.Path, "--from", "curl/curl", "--to", "192.0.2.1:443");
        Assert.True(code == 2, output);
        Assert.Contains("only with --kubernetes", output, StringComparison.Ordinal);
    }

    /// <summary>The output's lines (another test's actor system may log to the same console meanwhile).</summary>
    private static string[] Lines(string output) => output.Split('\n');

    private static async Task<(int Code, string Output)> ExplainAsync(params string[] args)
    {
        var root = new RootCommand { EgressCommand.Create() };
        var output = new StringWriter();
        var previous = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            var code = await root.Parse(["egress", "explain", .. args]).InvokeAsync();
            return (code, output.ToString());
        }
        finally
        {
            Console.SetOut(previous.Out);
            Console.SetError(previous.Error);
        }
    }
}
