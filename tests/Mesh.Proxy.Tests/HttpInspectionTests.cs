using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Mesh.Proxy.Tests.Support;

namespace Mesh.Proxy.Tests;

/// <summary>HTTP/1.1 on a port with http rules: every request decided on its own, framing checked strictly.</summary>
public abstract class HttpInspectionTests
{
    /// <summary>The transport the proxy under test puts inspected connections on: each test runs on both.</summary>
    protected abstract TcpTransport Transport { get; }

    [Fact]
    public async Task An_allowed_request_reaches_the_origin_through_the_rule_host_and_its_response_comes_back()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get("/allowed/get?x=1"), ct);
        var response = await connection.ReadResponseAsync(ct);

        Assert.Equal(200, response.Status);
        Assert.Equal("test", response.Header("x-origin"));
        Assert.Equal(HttpOrigin.BodyFor("GET", "/allowed/get?x=1", 0), response.BodyText);
        var request = Assert.Single(world.Origin.Requests);
        Assert.Equal(world.Host, request.Header("host"));
        Assert.Contains("httpbin.org", world.Proxy.Hosts.Lookups);
    }

    [Fact]
    public async Task A_request_matching_no_route_gets_the_proxy_404_and_the_same_connection_then_serves_an_allowed_one()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get("/denied"), ct);
        var denied = await connection.ReadResponseAsync(ct);
        Assert.Equal(404, denied.Status);
        Assert.Equal("mesh", denied.Header("server"));
        Assert.Null(denied.Header("connection"));

        await connection.SendAsync($"GET /allowed/after HTTP/1.1\r\nHost: evil.example\r\n\r\n", ct);
        var wrongHost = await connection.ReadResponseAsync(ct);
        Assert.Equal(404, wrongHost.Status);

        await connection.SendAsync(world.Get("/allowed/after"), ct);
        var allowed = await connection.ReadResponseAsync(ct);
        Assert.Equal(200, allowed.Status);
        Assert.Equal(HttpOrigin.BodyFor("GET", "/allowed/after", 0), allowed.BodyText);
        Assert.Equal(["/allowed/after"], world.Origin.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task Three_pipelined_requests_allowed_denied_allowed_get_three_responses_in_order()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        // A denied POST with a body in the middle: the proxy must skip exactly its body to find the third request.
        var middle = $"POST /denied HTTP/1.1\r\nHost: {world.Host}\r\nContent-Length: 11\r\n\r\nhello world";
        await connection.SendAsync(world.Get("/allowed/1") + middle + world.Get("/allowed/3"), ct);

        var first = await connection.ReadResponseAsync(ct);
        var second = await connection.ReadResponseAsync(ct);
        var third = await connection.ReadResponseAsync(ct);
        Assert.Equal((200, HttpOrigin.BodyFor("GET", "/allowed/1", 0)), (first.Status, first.BodyText));
        Assert.Equal(404, second.Status);
        Assert.Equal((200, HttpOrigin.BodyFor("GET", "/allowed/3", 0)), (third.Status, third.BodyText));
        Assert.Equal(["/allowed/1", "/allowed/3"], world.Origin.Requests.Select(r => r.Target));
        Assert.Equal(1, world.Origin.Accepted); // one kept-alive upstream connection served both
    }

    [Fact]
    public async Task Request_bodies_with_content_length_and_chunked_framing_are_forwarded_intact()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        var sized = RandomNumberGenerator.GetBytes(300 * 1024);
        await connection.SendAsync($"POST /allowed/sized HTTP/1.1\r\nHost: {world.Host}\r\nContent-Length: {sized.Length}\r\n\r\n", ct);
        await connection.SendAsync(sized, ct);
        var first = await connection.ReadResponseAsync(ct);
        Assert.Equal(HttpOrigin.BodyFor("POST", "/allowed/sized", sized.Length), first.BodyText);

        var pieces = new[] { RandomNumberGenerator.GetBytes(1), RandomNumberGenerator.GetBytes(70_000), RandomNumberGenerator.GetBytes(333) };
        var chunked = new MemoryStream();
        chunked.Write(Net.Ascii($"PUT /allowed/chunked HTTP/1.1\r\nHost: {world.Host}\r\nTransfer-Encoding: chunked\r\n\r\n"));
        foreach (var piece in pieces)
        {
            chunked.Write(Net.Ascii($"{piece.Length:X};ext=1\r\n"));
            chunked.Write(piece);
            chunked.Write("\r\n"u8);
        }
        chunked.Write("0\r\nX-Trailer: yes\r\n\r\n"u8);
        await connection.SendAsync(chunked.ToArray(), ct);
        var second = await connection.ReadResponseAsync(ct); // the origin answers this one chunked, too
        Assert.Equal("chunked", second.Header("transfer-encoding"));
        Assert.Equal(HttpOrigin.BodyFor("PUT", "/allowed/chunked", pieces.Sum(p => p.Length)), second.BodyText);

        var received = world.Origin.Requests;
        Assert.Equal(2, received.Count);
        Assert.Equal(sized, received[0].Body);
        Assert.Equal(pieces.SelectMany(p => p).ToArray(), received[1].Body);
    }

    [Fact]
    public async Task Expect_100_continue_gets_the_origins_interim_response_before_the_body_is_sent()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync($"POST /allowed/upload HTTP/1.1\r\nHost: {world.Host}\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", ct);
        var interim = await connection.ReadResponseAsync(ct); // no body sent yet: only a relayed 100 can arrive
        Assert.Equal(100, interim.Status);
        await connection.SendAsync("12345", ct);
        var final = await connection.ReadResponseAsync(ct);
        Assert.Equal(200, final.Status);
        Assert.Equal(HttpOrigin.BodyFor("POST", "/allowed/upload", 5), final.BodyText);
        Assert.Equal("12345"u8.ToArray(), Assert.Single(world.Origin.Requests).Body);
    }

    [Fact]
    public async Task A_denied_request_waiting_for_100_continue_gets_the_404_at_once_and_the_connection_closes()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync($"POST /denied/upload HTTP/1.1\r\nHost: {world.Host}\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", ct);
        var answer = await connection.ReadResponseAsync(ct); // the body was never sent: only an immediate answer arrives
        Assert.Equal(404, answer.Status);
        await connection.ExpectClosedAsync(ct);
        Assert.Empty(world.Origin.Requests);
    }

    [Fact]
    public async Task HttpClient_with_expect_100_continue_posts_through_the_proxy_without_waiting_out_its_timeout()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            // Far beyond the test's bound: the body is only sent early if the 100 really came back.
            Expect100ContinueTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (_, c) => new NetworkStream(await world.Proxy.ConnectAsync(world.Destination, c), ownsSocket: true),
        };
        using var client = new HttpClient(handler);
        var body = RandomNumberGenerator.GetBytes(100_000);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{world.Host}/allowed/client"))
        {
            Content = new ByteArrayContent(body),
        };
        request.Headers.ExpectContinue = true;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpOrigin.BodyFor("POST", "/allowed/client", body.Length), await response.Content.ReadAsStringAsync(ct));
        var seen = Assert.Single(world.Origin.Requests);
        Assert.Equal("100-continue", seen.Header("expect"));
        Assert.Equal(body, seen.Body);

        using var denied = await client.GetAsync(new Uri($"http://{world.Host}/nope"), ct);
        Assert.Equal(HttpStatusCode.NotFound, denied.StatusCode);
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nGET /allowed/smuggled HTTP/1.1\r\nHost: httpbin.org\r\n\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 40\r\n", "0\r\n\r\n")]
    [InlineData("Content-Length: 5\r\nContent-Length: 6\r\n", "123456")]
    [InlineData("Transfer-Encoding: gzip\r\n", "")]
    public async Task Ambiguous_framing_is_answered_400_and_closed_and_the_origin_sees_nothing(string framing, string body)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync($"POST /allowed/x HTTP/1.1\r\nHost: {world.Host}\r\n{framing}\r\n{body}", ct);
        var response = await connection.ReadResponseAsync(ct);
        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("connection"));
        await connection.ExpectClosedAsync(ct);
        await Barriers.AssertOnlyProbeAcceptedAsync(world.Origin, ct);
    }

    [Fact]
    public async Task An_obsolete_line_folded_header_is_answered_400_and_closed()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync($"GET /allowed/x HTTP/1.1\r\nHost: {world.Host}\r\nX-Folded: a\r\n b\r\n\r\n", ct);
        var response = await connection.ReadResponseAsync(ct);
        Assert.Equal(400, response.Status);
        Assert.Contains("ObsoleteLineFolding", response.BodyText, StringComparison.Ordinal);
        await connection.ExpectClosedAsync(ct);
        await Barriers.AssertOnlyProbeAcceptedAsync(world.Origin, ct);
    }

    [Fact]
    public async Task A_request_after_an_allowed_one_is_still_checked_even_if_it_is_malformed()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get("/allowed/first") + $"POST /allowed/second HTTP/1.1\r\nHost: {world.Host}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", ct);
        Assert.Equal(200, (await connection.ReadResponseAsync(ct)).Status);
        Assert.Equal(400, (await connection.ReadResponseAsync(ct)).Status);
        await connection.ExpectClosedAsync(ct);
        Assert.Equal(["/allowed/first"], world.Origin.Requests.Select(r => r.Target));
    }

    /// <summary>
    /// A bodiless GET is reused on the closed upstream without a check, finds it gone and is sent again on a new one;
    /// a POST's body cannot be replayed once sent, so the proxy checks first and never sends it on the closed one.
    /// </summary>
    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "hello")]
    public async Task When_the_origin_closes_its_idle_kept_alive_connection_the_next_request_goes_on_a_new_one(string method, string body)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = new HttpOrigin(closeIdle: true);
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(ManifestText.Egress("httpbin", "curl/curl", origin.Port, "http", ["httpbin.org"]));
        using var connection = new HttpConnection(await proxy.ConnectAsync(origin.Endpoint, ct));
        var host = $"httpbin.org:{origin.Port}";

        await connection.SendAsync($"GET /one HTTP/1.1\r\nHost: {host}\r\n\r\n", ct);
        Assert.Equal(200, (await connection.ReadResponseAsync(ct)).Status);
        await Eventually.TrueAsync(() => origin.IdleCloses == 1);

        var framing = body.Length > 0 ? $"Content-Length: {body.Length}\r\n" : "";
        await connection.SendAsync($"{method} /two HTTP/1.1\r\nHost: {host}\r\n{framing}\r\n{body}", ct);
        var second = await connection.ReadResponseAsync(ct);
        Assert.Equal(200, second.Status);
        Assert.Equal(HttpOrigin.BodyFor(method, "/two", body.Length), second.BodyText);
        Assert.Equal(2, origin.Accepted);
    }

    [Fact]
    public async Task A_head_request_response_has_no_body_and_the_next_request_on_the_connection_still_parses()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync($"HEAD /allowed/head HTTP/1.1\r\nHost: {world.Host}\r\n\r\n{world.Get("/allowed/next")}", ct);
        var head = await connection.Reader.ReadResponseAsync(ct, headRequest: true);
        Assert.Equal(200, head.Status);
        Assert.Equal(HttpOrigin.BodyFor("HEAD", "/allowed/head", 0).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("content-length"));
        var next = await connection.ReadResponseAsync(ct);
        Assert.Equal(HttpOrigin.BodyFor("GET", "/allowed/next", 0), next.BodyText);
    }

    [Fact]
    public async Task A_close_delimited_response_is_relayed_whole_and_then_the_client_connection_closes()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get("/allowed/close-delimited"), ct);
        var response = await connection.ReadResponseAsync(ct); // read to the end of the connection
        Assert.Equal(200, response.Status);
        Assert.Equal(HttpOrigin.BodyFor("GET", "/allowed/close-delimited", 0), response.BodyText);
    }

    [Fact]
    public async Task Routes_match_the_path_without_its_query_in_full_and_absolute_form_targets_are_decided_by_their_authority_which_the_host_must_repeat()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = new HttpOrigin();
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(
            ManifestText.RouteGroup("egress-http-route", ("get", "/get")),
            ManifestText.Egress("httpbin-80", "curl/curl", origin.Port, "http", ["httpbin.org"], routeGroups: ["egress-http-route"]));
        using var connection = new HttpConnection(await proxy.ConnectAsync(origin.Endpoint, ct));
        var host = $"httpbin.org:{origin.Port}";

        var expected = new (string Target, string HostHeader, int Status)[]
        {
            ("/get?show_env=1", host, 200),
            ("/get/more", host, 404),
            ("/status/200", host, 404),
            ("/GET", host, 404), // paths are case-sensitive
            ("/get", "HttpBin.Org", 200),
            ($"http://httpbin.org:{origin.Port}/get", host, 200),
            ($"http://evil.example:{origin.Port}/get", $"evil.example:{origin.Port}", 404),
        };
        foreach (var (target, hostHeader, status) in expected)
        {
            await connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: {hostHeader}\r\n\r\n", ct);
            var response = await connection.ReadResponseAsync(ct);
            Assert.True(status == response.Status, $"{target} (Host: {hostHeader}): expected {status}, got {response}");
        }
        Assert.Equal(["/get?show_env=1", "/get", $"http://httpbin.org:{origin.Port}/get"], origin.Requests.Select(r => r.Target));

        // Two names for one request: servers disagree on which wins, so the proxy takes neither.
        await connection.SendAsync($"GET http://httpbin.org:{origin.Port}/get HTTP/1.1\r\nHost: evil.example\r\n\r\n", ct);
        Assert.Equal(400, (await connection.ReadResponseAsync(ct)).Status);
        await connection.ExpectClosedAsync(ct);
        Assert.Equal(3, origin.Requests.Count);
    }

    [Fact]
    public async Task A_request_for_a_host_no_http_rule_names_falls_back_to_a_tcp_rule_and_goes_to_the_original_destination()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var origin = new HttpOrigin();
        await using var proxy = await ProxyHarness.StartAsync();
        await proxy.PublishAsync(
            ManifestText.Egress("web", "curl/curl", origin.Port, "http", ["httpbin.org"]),
            ManifestText.Egress("raw", "curl/curl", origin.Port, "tcp"));
        using var connection = new HttpConnection(await proxy.ConnectAsync(origin.Endpoint, ct));

        await connection.SendAsync($"GET /by-ip HTTP/1.1\r\nHost: 127.0.0.1:{origin.Port}\r\n\r\n", ct);
        var response = await connection.ReadResponseAsync(ct);
        Assert.Equal(200, response.Status);
        Assert.Equal(HttpOrigin.BodyFor("GET", "/by-ip", 0), response.BodyText);
        Assert.DoesNotContain("127.0.0.1", proxy.Hosts.Lookups); // not resolved: the original destination was used
        Assert.Contains($"verdict=\"AllowToOriginalDestination\",reason=\"TcpRule\",rule=\"Egress curl/raw port {origin.Port}/tcp\"", await proxy.Node.Metrics.RenderAsync(), StringComparison.Ordinal);
    }
}

/// <summary><see cref="HttpInspectionTests"/> with inspected connections on the epoll transport (the default on Linux x86-64).</summary>
public sealed class HttpInspectionOnEpollTests : HttpInspectionTests
{
    protected override TcpTransport Transport => TcpTransport.Epoll;
}

/// <summary><see cref="HttpInspectionTests"/> with inspected connections on .NET's sockets.</summary>
public sealed class HttpInspectionOnSocketsTests : HttpInspectionTests
{
    protected override TcpTransport Transport => TcpTransport.Sockets;
}
