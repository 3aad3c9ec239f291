using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// Seed 002 (the Egress policy API), section by section. Each starts from the seed's state: egress policies on,
/// passthrough off, no Egress, so the pod can reach nothing and every attempt is refused (curl exit 7). Policies
/// are applied and deleted as files under curl/, the way the seed applies and deletes them with kubectl.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class SeedEgressPolicyDemoTests(TestWorld world)
{
    private const int Limit = 45_000;
    private const string HttpGet = "http://httpbin.org:80/get";
    private const string HttpStatus200 = "http://httpbin.org:80/status/200";

    [Fact(Timeout = Limit)]
    public async Task Http_egress_by_host_opens_with_httpbin_80_and_closes_when_it_is_deleted()
    {
        var (manifests, mesh, steps) = await StartAsync();
        await using var _ = mesh;

        await steps.ExpectRefusedAsync("-sI", HttpGet);
        manifests.Apply("002-httpbin-80.yaml", "curl/httpbin-80.yaml");
        var (_, seen) = await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", HttpGet);
        DemoSteps.AssertSeen(seen,
            e => e is { Event: "request", Host: "httpbin.org", Path: "/get", Local: $"{WorldAddresses.HttpbinOrg}:80" },
            "GET /get for httpbin.org on port 80");

        // Decided by Host: another name on the same port is not in the policy, so the proxy itself answers 404.
        var (otherHost, seenOther) = await steps.ExpectStatusAsync("HTTP/1.1 404 Not Found", "-sI", "http://openservicemesh.io:80/get");
        Assert.False(otherHost.HasHeader(HttpHeaders.Origin), steps.Explain("the 404 must come from the proxy", otherHost));
        Assert.DoesNotContain(seenOther, e => e.Event == "request");

        manifests.Delete("curl/httpbin-80.yaml");
        await steps.ExpectRefusedAsync("-sI", HttpGet);
    }

    [Fact(Timeout = Limit)]
    public async Task Https_egress_by_sni_opens_with_httpbin_443_and_closes_when_it_is_deleted()
    {
        const string url = "https://httpbin.org:443/get";
        var (manifests, mesh, steps) = await StartAsync();
        await using var _ = mesh;

        await steps.ExpectRefusedAsync("-sI", url);
        manifests.Apply("002-httpbin-443.yaml", "curl/httpbin-443.yaml");
        var (_, seen) = await steps.ExpectStatusAsync("HTTP/2 200", "-sI", url);
        DemoSteps.AssertSeen(seen,
            e => e is { Event: "request", Sni: "httpbin.org", Path: "/get", Local: $"{WorldAddresses.HttpbinOrg}:443" },
            "the TLS request with SNI httpbin.org at its original destination");

        // Decided by SNI: another name on the same port is not in the policy.
        await steps.ExpectResetAsync("-sI", "https://openservicemesh.io:443");

        manifests.Delete("curl/httpbin-443.yaml");
        await steps.ExpectRefusedAsync("-sI", url);
    }

    [Fact(Timeout = Limit)]
    public async Task Tcp_egress_by_port_opens_any_https_host_with_tcp_443_and_closes_when_it_is_deleted()
    {
        const string url = "https://openservicemesh.io:443";
        var (manifests, mesh, steps) = await StartAsync();
        await using var _ = mesh;

        await steps.ExpectRefusedAsync("-sI", url);
        manifests.Apply("002-tcp-443.yaml", "curl/tcp-443.yaml");
        var (_, seen) = await steps.ExpectStatusAsync("HTTP/2 200", "-sI", url);
        DemoSteps.AssertSeen(seen,
            e => e is { Event: "request", Sni: "openservicemesh.io", Local: $"{WorldAddresses.OpenServiceMeshIo}:443" },
            "the TLS request with SNI openservicemesh.io at its original destination");

        // Decided by port: 80 is not in the policy.
        await steps.ExpectResetAsync("-sI", HttpGet);

        manifests.Delete("curl/tcp-443.yaml");
        await steps.ExpectRefusedAsync("-sI", url);
    }

    [Fact(Timeout = Limit)]
    public async Task Server_first_port_gets_its_banner_only_with_the_policy_and_only_at_the_policys_address()
    {
        var allowed = $"api.example.test:{WorldAddresses.ServerFirstPort}";
        var otherAddress = $"httpbin.org:{WorldAddresses.ServerFirstPort}";
        var (manifests, mesh, steps) = await StartAsync();
        await using var _ = mesh;

        await steps.ExpectRefusedAsync(() => world.PodProbeServerFirstAsync(allowed));
        manifests.Apply("002-mysql-3306-server-first.yaml", "curl/mysql-3306.yaml");
        // The probe sends nothing until the banner arrives: a proxy that sniffed first would time out here.
        var (_, seen) = await steps.ExpectAsync(() => world.PodProbeServerFirstAsync(allowed),
            r => r.ExitCode == 0 && r.Stdout.Contains("banner: 220 ", StringComparison.Ordinal), "the banner, then the echo");
        DemoSteps.AssertSeen(seen,
            e => e is { Event: "connection", Listener: "server-first" }
                && e.Local == $"{WorldAddresses.ApiExampleTest}:{WorldAddresses.ServerFirstPort}",
            "the server-first connection at 198.18.0.4");

        // Outside the policy's ipAddresses the port is not server-first: the proxy waits for the silent client's
        // first bytes (5 s by default), finds no rule and resets. The probe waits longer than that.
        await steps.ExpectResetAsync(() => world.PodProbeServerFirstAsync(otherAddress, timeoutMs: 7000));

        manifests.Delete("curl/mysql-3306.yaml");
        await steps.ExpectRefusedAsync(() => world.PodProbeServerFirstAsync(allowed));
    }

    [Fact(Timeout = Limit)]
    public async Task Http_egress_with_route_group_allows_matching_paths_answers_404_itself_and_follows_a_live_update()
    {
        const string file = "curl/httpbin-80-with-route.yaml";
        var (manifests, mesh, steps) = await StartAsync();
        await using var _ = mesh;

        await steps.ExpectRefusedAsync("-sI", HttpGet);
        await steps.ExpectRefusedAsync("-sI", HttpStatus200);

        manifests.Apply("002-httpbin-80-with-route.yaml", file);
        var (_, seenGet) = await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", HttpGet);
        DemoSteps.AssertSeen(seenGet, e => e is { Event: "request", Host: "httpbin.org", Path: "/get" }, "GET /get");

        var (notFound, seenStatus) = await steps.ExpectStatusAsync("HTTP/1.1 404 Not Found", "-sI", HttpStatus200);
        Assert.False(notFound.HasHeader(HttpHeaders.Origin), steps.Explain("the 404 must come from the proxy, not the origin", notFound));
        Assert.DoesNotContain(seenStatus, e => e.Event == "request");

        // kubectl apply of the updated HTTPRouteGroup: the file now holds the new group and the unchanged Egress.
        var egress = SeedManifest.DocumentOfKind(SeedManifest.Read("002-httpbin-80-with-route.yaml"), "Egress");
        manifests.Write(file, SeedManifest.Read("002-egress-http-route-status.yaml") + "---\n" + egress);
        var (ok, seenUpdated) = await steps.ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", HttpStatus200);
        Assert.True(ok.HasHeader(HttpHeaders.Origin), steps.Explain("the 200 must come from the origin", ok));
        DemoSteps.AssertSeen(seenUpdated, e => e is { Event: "request", Host: "httpbin.org", Path: "/status/200" }, "GET /status/200");
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
