using Mesh.Cli.Explain;
using Mesh.Control.Manifests;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Cli.Tests.Explain;

/// <summary><c>mesh egress explain</c> as a user runs it: a folder of manifests, arguments, printed output, exit code.</summary>
public sealed class EgressExplainRunnerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public EgressExplainRunnerTests()
    {
        _dir.Write("egress.yaml", Documents(
            RouteGroup("egress-http-route", ("get", "/get", null, null)),
            Egress("httpbin-80", "curl/curl", 80, "http", hosts: ["httpbin.org"], routeGroups: ["egress-http-route"]),
            Egress("httpbin-443", "curl/curl", 443, "https", hosts: ["httpbin.org"])));
        _dir.Write("broken.yaml", Egress("tcp-443", "curl/curl", 443, "tcp", ipAddresses: ["300.1.1.1"]));
    }

    public void Dispose() => _dir.Dispose();

    private (int Code, string Output, string Error) Run(string to, string? ip = null, string? sni = null, string[]? http = null, string[]? headers = null, string from = "curl/curl")
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = EgressExplainRunner.Run(new EgressExplainArguments(_dir.Path, Mesh.Policy.State.ClusterState.DefaultMeshConfigKey, from, to, ip, sni, http, headers), output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void An_allowed_request_names_the_policy_and_route_and_exits_0()
    {
        var (code, output, _) = Run("httpbin.org:80", http: ["GET", "/get"]);
        Assert.Equal(0, code);
        Assert.StartsWith("ALLOWED: HTTP GET /get (Host httpbin.org) from curl/curl to httpbin.org:80", output, StringComparison.Ordinal);
        Assert.Contains("Deciding rule: Egress curl/httpbin-80 port 80/http, route egress-http-route/get", output, StringComparison.Ordinal);
        Assert.Contains("Egress curl/httpbin-443 port 443/https: for port 443, not 80", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_without_a_route_is_404_and_lists_the_rejection_that_may_be_why()
    {
        var (code, output, _) = Run("httpbin.org:80", http: ["GET", "/status/200"], headers: ["X-Trace: 1"]);
        Assert.Equal(1, code);
        Assert.StartsWith("NOT FOUND (404)", output, StringComparison.Ordinal);
        Assert.Contains("path /status/200 does not fully match '/get'", output, StringComparison.Ordinal);
        Assert.Contains("broken.yaml", output, StringComparison.Ordinal);
        Assert.Contains("Egress curl/tcp-443: spec.ipAddresses[0]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_and_opaque_connections_are_explained_with_exit_codes()
    {
        Assert.Equal(0, Run("httpbin.org:443", ip: "3.4.5.6", sni: "httpbin.org").Code);
        var (code, output, _) = Run("httpbin.org:443", ip: "3.4.5.6", sni: "evil.org");
        Assert.Equal(1, code);
        Assert.Contains("SNI 'evil.org' matches none of [httpbin.org]", output, StringComparison.Ordinal);
        Assert.Equal(1, Run("httpbin.org:443", ip: "3.4.5.6").Code);
        Assert.StartsWith("REFUSED", Run("httpbin.org:443", from: "curl/nobody").Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("curl", "httpbin.org:80", null, null)]
    [InlineData("curl/curl", "httpbin.org", null, null)]
    [InlineData("curl/curl", "httpbin.org:80", "sni.org", "GET /")]
    [InlineData("curl/curl", "httpbin.org:80", null, "GET")]
    public void Usage_errors_exit_2(string from, string to, string? sni, string? http)
    {
        var (code, _, error) = Run(to, sni: sni, http: http?.Split(' '), from: from);
        Assert.Equal(2, code);
        Assert.StartsWith("mesh egress explain:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_exits_2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = EgressExplainRunner.Run(new EgressExplainArguments(_dir.File("absent"), Mesh.Policy.State.ClusterState.DefaultMeshConfigKey, "curl/curl", "a.org:80"), output, error);
        Assert.Equal(2, code);
        Assert.Throws<DirectoryNotFoundException>(() => ManifestDirectoryLoader.Load(_dir.File("absent")));
    }

    [Fact]
    public void The_one_shot_loader_applies_the_watcher_rules()
    {
        var load = ManifestDirectoryLoader.Load(_dir.Path);
        Assert.Equal(3, load.State.Objects.Count);
        var rejection = Assert.Single(load.Validation.Rejections);
        Assert.EndsWith("broken.yaml:15: Egress curl/tcp-443: spec.ipAddresses[0]: '300.1.1.1' is not an IP address or CIDR range", rejection.ToString(), StringComparison.Ordinal);
    }
}
