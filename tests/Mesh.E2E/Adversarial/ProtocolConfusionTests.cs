using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// One protocol dressed as another, or switched to mid-connection: h2c upgrades (asked by the client, or forced by the
/// origin), HTTP/2 prior knowledge, CONNECT on the transparent port, TLS to an http port and HTTP to an https port,
/// and bytes that some server reads as HTTP/1 though Mesh's parser will not. The origin accepts all of it, so any of it
/// getting past the proxy shows in its log.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class ProtocolConfusionTests(TestWorld world, AdversaryMesh mesh) : IClassFixture<AdversaryMesh>
{
    private const int Limit = 60_000;
    private const string Settings = "HTTP2-Settings: " + H2Frames.SettingsHeaderValue + "\r\n";

    public static TheoryData<string, bool, string> H2cUpgrades() => new()
    {
        { "the textbook upgrade", false, "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n" + Settings },
        { "under passthrough", true, "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n" + Settings },
        { "without Connection: Upgrade", false, "Upgrade: h2c\r\n" + Settings },
        { "without HTTP2-Settings", false, "Connection: Upgrade\r\nUpgrade: h2c\r\n" },
        { "in upper case", false, "Connection: UPGRADE\r\nUpgrade: H2C\r\n" + Settings },
        { "listed after another protocol", false, "Connection: Upgrade\r\nUpgrade: websocket, h2c\r\n" + Settings },
        { "in a second Upgrade line", false, "Connection: Upgrade\r\nUpgrade: websocket\r\nUpgrade: h2c\r\n" },
        { "as HTTP/2.0", false, "Connection: Upgrade\r\nUpgrade: HTTP/2.0\r\n" },
    };

    [Theory(Timeout = Limit)]
    [MemberData(nameof(H2cUpgrades))]
    public async Task An_h2c_upgrade_in_any_spelling_reaches_the_origin_without_it_and_HTTP2_after_it_is_refused(string name, bool passthrough, string upgrade)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync($"GET /get HTTP/1.1\r\nHost: httpbin.org\r\n{upgrade}\r\n");
        var answer = await connection.ReadResponseAsync();
        await connection.SendAsync(H2Frames.PriorKnowledgeGet("httpbin.org", "/admin"));
        var refusal = await connection.ReadResponseAsync();

        Assert.True(answer is { Status: 200, FromOrigin: true }, adversary.Explain($"{name}: expected the origin's HTTP/1.1 200, got {answer}", mark));
        Assert.True(refusal is { Status: 505, FromOrigin: false }, adversary.Explain($"{name}: the preface after it is an HTTP/1 request line to the proxy (505), got {refusal}", mark));
        var served = Assert.Single(await adversary.AssertOnlyAllowedReachedAsync(mark, name), e => e.IsRequest);
        Assert.Null(served.Upgrade);
    }

    [Fact(Timeout = Limit)]
    public async Task Under_passthrough_a_host_without_rules_on_an_http_port_cannot_switch_to_h2c_either()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync(address: WorldAddresses.OpenServiceMeshIo);

        await connection.SendAsync($"GET /anything/x HTTP/1.1\r\nHost: openservicemesh.io\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n{Settings}\r\n");
        var answer = await connection.ReadResponseAsync();

        Assert.True(answer is { Status: 200, FromOrigin: true }, adversary.Explain($"expected the origin's HTTP/1.1 200, got {answer}", mark));
        var seen = await adversary.SeenAfterQuietAsync(mark);
        Assert.True(seen.Single(e => e.IsRequest) is { Upgrade: null, Local: $"{WorldAddresses.OpenServiceMeshIo}:8080" }, adversary.Explain("passthrough to the original destination, upgrade removed", mark));
    }

    [Fact(Timeout = Limit)]
    public async Task A_websocket_offered_beside_h2c_is_what_switches_and_the_tunnel_is_the_origins_websocket()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync("GET /ws HTTP/1.1\r\nHost: httpbin.org\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c, websocket\r\n" +
            $"{Settings}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        var answer = await connection.ReadResponseAsync();
        var frames = H2Frames.PriorKnowledgeGet("httpbin.org", "/admin");
        await connection.SendAsync(frames);
        var echoed = await connection.ReadAvailableAsync(TimeBounds.Quiet);

        Assert.True(answer is { Status: 101, FromOrigin: true } && answer.Header("upgrade") == "websocket", adversary.Explain($"expected the origin's 101 to websocket, got {answer}", mark));
        Assert.Equal(frames, echoed); // the origin's websocket echoes: the bytes were never HTTP/2 to it
        var seen = await adversary.AssertOnlyAllowedReachedAsync(mark, "websocket beside h2c");
        Assert.True(seen.Single(e => e.IsRequest) is { Path: "/ws", Upgrade: "websocket" }, adversary.Explain("the origin switched to websocket", mark));
        Assert.Contains(seen, e => e.Event == "tunnel");
    }

    [Theory(Timeout = Limit)]
    [InlineData("")]
    [InlineData("Connection: Upgrade\r\nUpgrade: websocket\r\n")]
    [InlineData("Connection: Upgrade\r\nUpgrade: h2c\r\n" + Settings)]
    public async Task An_origin_that_switches_to_h2c_unasked_gets_no_tunnel_and_the_client_a_502(string upgrade)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync($"GET /always-101 HTTP/1.1\r\nHost: httpbin.org\r\n{upgrade}\r\n");
        var answer = await connection.ReadResponseAsync();
        await connection.SendAsync(H2Frames.PriorKnowledgeGet("httpbin.org", "/admin"));
        var ending = await connection.EndingAsync();

        Assert.True(answer is { Status: 502, FromOrigin: false }, adversary.Explain($"expected the proxy's 502, got {answer}", mark));
        Assert.NotEqual(Ending.StillOpen, ending);
        var seen = await adversary.SeenAfterQuietAsync(mark);
        Assert.True(seen.Count(e => e.IsRequest) == 1 && !seen.Any(e => e.Protocol == "HTTP/2" || e.Event == "h2-preface"),
            adversary.Explain("only the /always-101 request may reach the origin; no HTTP/2 after its 101", mark));
    }

    [Fact(Timeout = Limit)]
    public async Task An_h2c_upgrade_of_a_forbidden_request_gets_the_proxy_404_and_nothing_reaches_the_origin()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        await adversary.ExpectProxyAnswerAsync(404,
            $"GET /admin HTTP/1.1\r\nHost: httpbin.org\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n{Settings}\r\n", "h2c upgrade of /admin");
    }

    [Theory(Timeout = Limit)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Http2_prior_knowledge_to_an_http_port_is_reset_with_or_without_passthrough(bool passthrough)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        // The preface split where an HTTP/1 parser would see a complete request line: the sniffer waits for all of it.
        await connection.SendAsync("PRI * HTTP/2.0\r\n");
        await Task.Delay(TimeBounds.Quiet);
        await connection.SendAsync([.. H2Frames.Preface[16..], .. H2Frames.Settings(), .. H2Frames.Get(1, "httpbin.org", "/admin")]);

        Assert.True(await connection.EndingAsync() == Ending.Reset, adversary.Explain("expected a reset", mark));
        await adversary.AssertOriginUntouchedAsync(mark, "HTTP/2 prior knowledge");
    }

    [Fact(Timeout = Limit)]
    public async Task Http2_prior_knowledge_after_an_empty_line_is_an_http1_request_line_and_refused()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        await adversary.ExpectProxyAnswerAsync(505, "\r\n" + System.Text.Encoding.Latin1.GetString(H2Frames.PriorKnowledgeGet("httpbin.org", "/admin")),
            "empty line then the HTTP/2 preface");
    }

    [Fact(Timeout = Limit)]
    public async Task Http2_prior_knowledge_passes_where_a_tcp_rule_allows_the_destination()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync(address: WorldAddresses.ApiExampleTest);

        await connection.SendAsync(H2Frames.PriorKnowledgeGet("api.example.test", "/status/418"));
        var frames = await connection.ReadAvailableAsync(TimeBounds.Quiet);

        Assert.True(frames.Length >= 9 && frames[3] == 4, adversary.Explain("expected the origin's SETTINGS frame", mark));
        var seen = await adversary.SeenAfterQuietAsync(mark);
        Assert.True(seen.Any(e => e is { IsRequest: true, Protocol: "HTTP/2", Path: "/status/418" } && e.Local == $"{WorldAddresses.ApiExampleTest}:8080"),
            adversary.Explain("the tcp rule lets HTTP/2 reach api.example.test", mark));
    }

    public static TheoryData<string, bool, string> Connects() => new()
    {
        { "to the allowed host and port", false, "CONNECT httpbin.org:8080 HTTP/1.1\r\nHost: httpbin.org:8080\r\n\r\n" },
        { "to another host under passthrough", true, "CONNECT openservicemesh.io:443 HTTP/1.1\r\nHost: openservicemesh.io:443\r\n\r\n" },
        { "to the allowed host on 443", true, "CONNECT httpbin.org:443 HTTP/1.1\r\nHost: httpbin.org:443\r\n\r\n" },
    };

    [Theory(Timeout = Limit)]
    [MemberData(nameof(Connects))]
    public async Task Connect_on_the_transparent_port_is_405_and_opens_no_tunnel(string name, bool passthrough, string request)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough);
        await adversary.ExpectProxyAnswerAsync(405, request, $"CONNECT {name}");
    }

    [Fact(Timeout = Limit)]
    public async Task Tls_to_an_http_port_is_reset_without_passthrough()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync(TlsHellos.Records(TlsHellos.Message("httpbin.org")));

        Assert.True(await connection.EndingAsync() == Ending.Reset, adversary.Explain("expected a reset", mark));
        await adversary.AssertOriginUntouchedAsync(mark, "TLS to an http port");
    }

    [Fact(Timeout = Limit)]
    public async Task Tls_to_an_http_port_under_passthrough_is_opaque_and_no_http_request_comes_of_it()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync(TlsHellos.Records(TlsHellos.Message("httpbin.org")));
        await connection.EndingAsync(TimeBounds.Quiet);

        var seen = await adversary.SeenAfterQuietAsync(mark);
        Assert.True(seen.Any(e => e.Event == "unparsed") && !seen.Any(e => e.IsRequest), adversary.Explain("passed through as TLS, which the origin cannot read as a request", mark));
    }

    [Fact(Timeout = Limit)]
    public async Task Http_to_an_https_port_is_reset_without_an_upstream_connection()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = world.OriginLog.Mark();
        using var connection = await adversary.ConnectAsync(443);

        await connection.SendAsync("GET /get HTTP/1.1\r\nHost: httpbin.org\r\n\r\n");

        Assert.Equal(Ending.Reset, await connection.EndingAsync());
        await Task.Delay(TimeBounds.Quiet);
        Assert.True(world.OriginLog.Since(mark).Count == 0, world.OriginLog.Describe(mark));
    }

    public static TheoryData<string, string, int> AlmostHttp() => new()
    {
        { "a tab after the method", "GET\t/admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "a space before the method", " GET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "a vertical tab after the method", "GET\v/admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "a bare CR after the method", "GET\r/admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "two spaces after the method", "GET  /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "bare LF empty lines first", "\n\nGET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "bare LF line ends", "GET /admin HTTP/1.1\nHost: httpbin.org\n\n", 400 },
        { "HTTP/0.9", "GET /admin\r\n\r\n", 400 },
        { "HTTP/2.0 in the request line", "GET /admin HTTP/2.0\r\nHost: httpbin.org\r\n\r\n", 505 },
        { "HTTP/1.2", "GET /admin HTTP/1.2\r\nHost: httpbin.org\r\n\r\n", 404 },
        { "a lower-case method", "get /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 404 },
        { "a 40-character method", new string('A', 40) + " /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 404 },
        { "a space in the target", "FOO /adm n HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "a lower-case version", "GET /admin http/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "8000 empty lines first", string.Concat(Enumerable.Repeat("\r\n", 8000)) + "GET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 404 },
        { "16 KiB of empty lines first", string.Concat(Enumerable.Repeat("\r\n", 8200)) + "GET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 431 },
        { "an endless method", new string('A', 20_000) + " /admin HTTP/1.1\r\n\r\n", 414 },
    };

    [Theory(Timeout = Limit)]
    [MemberData(nameof(AlmostHttp))]
    public async Task What_some_server_reads_as_http_is_inspected_under_passthrough_never_passed_as_opaque(string name, string request, int status)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        await adversary.ExpectProxyAnswerAsync(status, request, name);
    }
}
