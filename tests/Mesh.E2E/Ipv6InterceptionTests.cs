using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// IPv6 egress through real ip6tables interception: the proxy's IPv6 listener, IP6T_SO_ORIGINAL_DST, and the
/// decisions on IPv6 destinations. Every allowed flow is also found in the proxy's decision log with its IPv6
/// original destination, so an answer that went around the proxy cannot pass. Same starting point as the seed
/// 002 demos: egress policies on, passthrough off.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class Ipv6InterceptionTests(TestWorld world)
{
    private const int Limit = 45_000;
    private const string HttpbinOrg6 = $"[{WorldAddresses.HttpbinOrg6}]";
    private const string OpenServiceMeshIo6 = $"[{WorldAddresses.OpenServiceMeshIo6}]";
    private const string ApiExampleTest6 = $"[{WorldAddresses.ApiExampleTest6}]";

    [Fact(Timeout = Limit)]
    public async Task Tcp_rule_with_an_ipv6_cidr_allows_addresses_inside_it_and_resets_those_outside()
    {
        var (manifests, mesh, steps) = await StartAsync();
        await using var _ = mesh;

        await steps.ExpectRefusedAsync("-sI", "-g", $"http://{OpenServiceMeshIo6}:80/get");
        manifests.Apply("002-ipv6-tcp-80.yaml", "curl/ipv6-tcp-80.yaml");

        // ::3, the last address of fd00:198:18::/126: forwarded untouched to its original destination.
        var (answer, seen) = await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", "-g", $"http://{OpenServiceMeshIo6}:80/get");
        Assert.True(answer.HasHeader(HttpHeaders.Origin), steps.Explain("the 200 must come from the origin", answer));
        DemoSteps.AssertSeen(seen,
            e => e is { Event: "request", Path: "/get" } && e.Local == $"{OpenServiceMeshIo6}:80"
                && e.Remote!.StartsWith($"[{WorldAddresses.Pod6}]:", StringComparison.Ordinal),
            "GET /get at the IPv6 original destination, from the pod's IPv6 address");
        await steps.ExpectDecisionAsync(e => e is { Kind: "connection", Verdict: "Allow" } && e.Destination == $"{OpenServiceMeshIo6}:80",
            $"the allowed connection to {OpenServiceMeshIo6}:80");

        // ::4, the first address after the range.
        await steps.ExpectResetAsync("-sI", "-g", $"http://{ApiExampleTest6}:80/get");
        await steps.ExpectDecisionAsync(e => e is { Kind: "connection", Verdict: "Deny" } && e.Destination == $"{ApiExampleTest6}:80",
            $"the denied connection to {ApiExampleTest6}:80");

        // An IPv6 range holds no IPv4 address, not even the same origin's.
        await steps.ExpectResetAsync("-sI", $"http://{WorldAddresses.OpenServiceMeshIo}:80/get");
    }

    [Fact(Timeout = Limit)]
    public async Task Https_by_sni_over_ipv6_reaches_the_origin_at_its_ipv6_address_and_another_name_is_reset()
    {
        var (manifests, mesh, steps) = await StartAsync();
        await using var _ = mesh;

        manifests.Apply("002-httpbin-443.yaml", "curl/httpbin-443.yaml");
        var (_, seen) = await steps.ExpectStatusAsync("HTTP/2 200",
            "-sI", "--resolve", $"httpbin.org:443:{HttpbinOrg6}", "https://httpbin.org:443/get");
        DemoSteps.AssertSeen(seen,
            e => e is { Event: "request", Sni: "httpbin.org", Path: "/get" } && e.Local == $"{HttpbinOrg6}:443",
            "the TLS request with SNI httpbin.org at its IPv6 original destination");
        await steps.ExpectDecisionAsync(
            e => e is { Kind: "connection", Verdict: "Allow", Sni: "httpbin.org" } && e.Destination == $"{HttpbinOrg6}:443",
            $"the allowed TLS connection to {HttpbinOrg6}:443");

        await steps.ExpectResetAsync("-sI", "--resolve", $"openservicemesh.io:443:{OpenServiceMeshIo6}", "https://openservicemesh.io:443/");
        await steps.ExpectDecisionAsync(
            e => e is { Kind: "connection", Verdict: "Deny", Sni: "openservicemesh.io" } && e.Destination == $"{OpenServiceMeshIo6}:443",
            $"the denied TLS connection to {OpenServiceMeshIo6}:443");
    }

    [Fact(Timeout = Limit)]
    public async Task Http_by_host_over_ipv6_goes_to_the_rules_host_and_an_ipv6_literal_host_gets_404_from_the_proxy()
    {
        var (manifests, mesh, steps) = await StartAsync();
        await using var _ = mesh;

        manifests.Apply("002-httpbin-80.yaml", "curl/httpbin-80.yaml");
        var (_, seen) = await steps.ExpectStatusAsync("HTTP/1.1 200 OK",
            "-sI", "--resolve", $"httpbin.org:80:{HttpbinOrg6}", "http://httpbin.org:80/get");
        // An allowed request goes to the rule's host as DNS resolves it (the hosts file: IPv4), not to the original IP.
        DemoSteps.AssertSeen(seen,
            e => e is { Event: "request", Host: "httpbin.org", Path: "/get", Local: $"{WorldAddresses.HttpbinOrg}:80" },
            "GET /get for httpbin.org at its DNS address");
        await steps.ExpectDecisionAsync(
            e => e is { Kind: "request", Host: "httpbin.org", Path: "/get", Verdict: "AllowToHost" } && e.Destination == $"{HttpbinOrg6}:80",
            $"the allowed request on the connection to {HttpbinOrg6}:80");

        // Host is the IPv6 literal, which never matches a host rule.
        var (notFound, seenLiteral) = await steps.ExpectStatusAsync("HTTP/1.1 404 Not Found", "-sI", "-g", $"http://{HttpbinOrg6}:80/get");
        Assert.False(notFound.HasHeader(HttpHeaders.Origin), steps.Explain("the 404 must come from the proxy", notFound));
        Assert.DoesNotContain(seenLiteral, e => e.Event == "request");
    }

    /// <summary>The seed's starting point: egress policies enabled, passthrough off, no Egress for curl/curl.</summary>
    private async Task<(ManifestDirectory Manifests, MeshProcess Mesh, DemoSteps Steps)> StartAsync()
    {
        var manifests = world.CreateManifestDirectory();
        manifests.Apply("002-mesh-config.yaml", "mesh-config.yaml");
        var mesh = await world.StartMeshAsync(manifests);
        return (manifests, mesh, new DemoSteps(world, mesh));
    }
}
