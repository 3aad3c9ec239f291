using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// The world proves itself without the proxy: routing, names, TLS, server-first service and, above all, that the
/// pod's traffic really is intercepted. If these fail, a failing demo test says nothing about the proxy.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class WorldSelfTests(TestWorld world)
{
    private const int Limit = 30_000;

    [Fact(Timeout = Limit)]
    public async Task Internet_namespace_reaches_the_http_origin_by_name()
    {
        var mark = world.OriginLog.Mark();
        var get = await world.InternetCurlAsync("-s", "-i", "http://httpbin.org/get");

        Assert.True(get.ExitCode == 0 && get.StatusLine == "HTTP/1.1 200 OK", get.ToString());
        Assert.Contains("\"host\": \"httpbin.org\"", get.Stdout, StringComparison.Ordinal);
        Assert.Contains(world.OriginLog.Since(mark),
            e => e is { Event: "request", Path: "/get", Host: "httpbin.org", Local: $"{WorldAddresses.HttpbinOrg}:80" });
    }

    [Theory(Timeout = Limit)]
    [InlineData("httpbin.org", WorldAddresses.HttpbinOrg)]
    [InlineData("openservicemesh.io", WorldAddresses.OpenServiceMeshIo)]
    [InlineData("api.example.test", WorldAddresses.ApiExampleTest)]
    public async Task Internet_namespace_reaches_the_https_origin_over_http2_with_a_certificate_per_name(string name, string address)
    {
        var mark = world.OriginLog.Mark();
        var head = await world.InternetCurlAsync("-sI", $"https://{name}:443/get");

        Assert.True(head.ExitCode == 0 && head.StatusLine == "HTTP/2 200", head.ToString());
        Assert.Contains(world.OriginLog.Since(mark),
            e => e is { Event: "request", Listener: "https", Protocol: "HTTP/2" } && e.Sni == name && e.Local == $"{address}:443");
    }

    [Theory(Timeout = Limit)]
    [InlineData("httpbin.org", WorldAddresses.HttpbinOrg6)]
    [InlineData("openservicemesh.io", WorldAddresses.OpenServiceMeshIo6)]
    [InlineData("api.example.test", WorldAddresses.ApiExampleTest6)]
    public async Task Internet_namespace_reaches_each_origin_at_its_ipv6_address(string name, string address)
    {
        var mark = world.OriginLog.Mark();
        var http = await world.InternetCurlAsync("-sI", "-g", $"http://[{address}]:80/get");
        var https = await world.InternetCurlAsync("-sI", "--resolve", $"{name}:443:[{address}]", $"https://{name}:443/get");

        Assert.True(http.StatusLine == "HTTP/1.1 200 OK", http.ToString());
        Assert.True(https.StatusLine == "HTTP/2 200", https.ToString());
        var seen = world.OriginLog.Since(mark);
        Assert.Contains(seen, e => e is { Event: "request", Listener: "http" } && e.Local == $"[{address}]:80");
        Assert.Contains(seen, e => e is { Event: "request", Listener: "https" } && e.Sni == name && e.Local == $"[{address}]:443");
    }

    [Fact(Timeout = Limit)]
    public async Task Origin_marks_its_own_404_so_it_cannot_pass_for_the_proxy()
    {
        var head = await world.InternetCurlAsync("-sI", "http://httpbin.org/no-such-path");

        Assert.True(head.StatusLine == "HTTP/1.1 404 Not Found" && head.HasHeader(HttpHeaders.Origin), head.ToString());
    }

    [Fact(Timeout = Limit)]
    public async Task Proxy_user_in_the_pod_bypasses_interception_and_reaches_each_origin_address()
    {
        var mark = world.OriginLog.Mark();
        var http = await world.PodCurlAsProxyUserAsync("-sI", "http://httpbin.org:80/get");
        var https = await world.PodCurlAsProxyUserAsync("-sI", "https://openservicemesh.io:443");

        Assert.True(http.StatusLine == "HTTP/1.1 200 OK", http.ToString());
        Assert.True(https.StatusLine == "HTTP/2 200", https.ToString());
        var seen = world.OriginLog.Since(mark);
        Assert.Contains(seen, e => e.Event == "request" && e.Remote!.StartsWith($"{WorldAddresses.Pod}:", StringComparison.Ordinal)
            && e.Local == $"{WorldAddresses.HttpbinOrg}:80");
        Assert.Contains(seen, e => e.Event == "request" && e.Sni == "openservicemesh.io"
            && e.Local == $"{WorldAddresses.OpenServiceMeshIo}:443");
    }

    [Fact(Timeout = Limit)]
    public async Task Proxy_user_in_the_pod_bypasses_ipv6_interception_too()
    {
        var mark = world.OriginLog.Mark();
        var http = await world.PodCurlAsProxyUserAsync("-sI", "-g", $"http://[{WorldAddresses.HttpbinOrg6}]:80/get");

        Assert.True(http.StatusLine == "HTTP/1.1 200 OK", http.ToString());
        Assert.Contains(world.OriginLog.Since(mark), e => e.Event == "request"
            && e.Remote!.StartsWith($"[{WorldAddresses.Pod6}]:", StringComparison.Ordinal) && e.Local == $"[{WorldAddresses.HttpbinOrg6}]:80");
    }

    [Theory(Timeout = Limit)]
    [InlineData("http://httpbin.org/get")]
    [InlineData($"http://[{WorldAddresses.HttpbinOrg6}]/get")]
    public async Task Pod_traffic_is_redirected_to_the_outbound_port_and_refused_when_nothing_listens(string url)
    {
        var mark = world.OriginLog.Mark();
        var get = await world.PodCurlAsync("-sI", "-g", url);

        Assert.True(get.ExitCode == 7, get.ToString());
        var seen = await Eventually.QuietAsync(() => world.OriginLog.Since(mark));
        Assert.True(seen.Count == 0, world.OriginLog.Describe(mark));
    }

    [Theory(Timeout = Limit)]
    [InlineData("http://httpbin.org/get", "0.0.0.0", WorldAddresses.Pod)]
    [InlineData($"http://[{WorldAddresses.HttpbinOrg6}]/get", "[::]", $"[{WorldAddresses.Pod6}]")]
    public async Task Pod_traffic_arrives_at_whatever_listens_on_the_outbound_port(string url, string standInAddress, string podAddress)
    {
        var standInLog = new OriginLog(Path.Combine(world.Names.Directory, $"outbound-stand-in-{Guid.NewGuid():N}.log"));
        await using var standIn = await world.StartOriginAsync(
            world.Names.PodNamespace, standInLog.Path, ["--http", $"{standInAddress}:{WorldAddresses.OutboundPort}"]);
        var mark = world.OriginLog.Mark();

        var get = await world.PodCurlAsync("-sI", "-g", url);

        Assert.True(get.StatusLine == "HTTP/1.1 200 OK", get.ToString());
        Assert.Contains(standInLog.Since(0),
            e => e is { Event: "request", Path: "/get" } && e.Remote!.StartsWith(podAddress + ":", StringComparison.Ordinal)
                && e.Local!.EndsWith($":{WorldAddresses.OutboundPort}", StringComparison.Ordinal));
        Assert.True(world.OriginLog.Since(mark).Count == 0, world.OriginLog.Describe(mark));
    }

    [Fact(Timeout = Limit)]
    public async Task Server_first_banner_arrives_for_the_proxy_user_and_not_through_an_empty_outbound_port()
    {
        var mark = world.OriginLog.Mark();
        var direct = await world.PodProbeServerFirstAsync($"api.example.test:{WorldAddresses.ServerFirstPort}", asProxyUser: true);
        Assert.True(direct.ExitCode == 0 && direct.Stdout.Contains("banner: 220 ", StringComparison.Ordinal), direct.ToString());
        Assert.Contains(world.OriginLog.Since(mark),
            e => e is { Event: "connection", Listener: "server-first" } && e.Local == $"{WorldAddresses.ApiExampleTest}:{WorldAddresses.ServerFirstPort}");

        mark = world.OriginLog.Mark();
        var intercepted = await world.PodProbeServerFirstAsync($"api.example.test:{WorldAddresses.ServerFirstPort}");
        Assert.True(intercepted.ExitCode == 7, intercepted.ToString());
        Assert.True(world.OriginLog.Since(mark).Count == 0, world.OriginLog.Describe(mark));
    }
}
