using Mesh.Proxy.Tests.Support;

namespace Mesh.Proxy.Tests;

/// <summary>
/// What reaches the origin is what the proxy decided: ambiguous framing goes on as one canonical line, and requests
/// whose path or host could be read two ways are refused before anything is forwarded.
/// </summary>
public abstract class CanonicalForwardingTests
{
    /// <summary>The transport the proxy under test puts inspected connections on: each test runs on both.</summary>
    protected abstract TcpTransport Transport { get; }

    [Theory]
    [InlineData("Transfer-Encoding: Chunked\r\n", "transfer-encoding", "chunked")]
    [InlineData("Transfer-Encoding:\tchunked \r\n", "transfer-encoding", "chunked")]
    [InlineData("Transfer-Encoding: chunked ,\r\n", "transfer-encoding", "chunked")]
    [InlineData("Transfer-Encoding: \r\nTransfer-Encoding: chunked\r\n", "transfer-encoding", "chunked")]
    [InlineData("Content-Length: 005\r\n", "content-length", "5")]
    [InlineData("Content-Length: 5, 5\r\n", "content-length", "5")]
    [InlineData("Content-Length: 5\r\nContent-Length: 5\r\n", "content-length", "5")]
    public async Task Ambiguously_spelled_framing_reaches_the_origin_as_one_plain_line(string framing, string field, string value)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);
        var body = field == "content-length" ? "hello" : "5\r\nhello\r\n0\r\n\r\n";

        await connection.SendAsync($"POST /allowed/p HTTP/1.1\r\nHost: {world.Host}\r\n{framing}\r\n{body}", ct);
        Assert.Equal(200, (await connection.ReadResponseAsync(ct)).Status);

        var request = Assert.Single(world.Origin.Requests);
        var sent = request.Headers.Where(h => h.Key.Equals(field, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        Assert.Equal([value], sent);
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(request.Body));
    }

    [Theory]
    [InlineData("/allowed/../secret", 400)]
    [InlineData("/allowed/%2e%2e/secret", 400)]
    [InlineData("/allowed/..;/secret", 400)]
    [InlineData("/allowed%2f..%2fsecret", 400)]
    [InlineData("/allowed\\..\\secret", 400)]
    [InlineData("/allowed/%252e%252e/secret", 400)]
    [InlineData("/secret;/allowed", 404)] // matches only with its ;parameters, which Tomcat-like origins drop
    [InlineData("//allowed/../secret", 400)]
    public async Task Paths_an_origin_could_route_elsewhere_are_refused_before_anything_is_forwarded(string path, int status)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get(path), ct);

        Assert.Equal(status, (await connection.ReadResponseAsync(ct)).Status);
        await Barriers.AssertOnlyProbeAcceptedAsync(world.Origin, ct);
    }

    [Fact]
    public async Task An_escaped_path_is_decided_as_decoded_and_forwarded_as_received()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync(world.Get("/%61llowed/x"), ct);

        Assert.Equal(200, (await connection.ReadResponseAsync(ct)).Status);
        Assert.Equal("/%61llowed/x", Assert.Single(world.Origin.Requests).Target);
    }

    [Theory]
    [InlineData("5\nhello\r\n0\r\n\r\n")] // bare LF after a chunk size
    [InlineData("0x5\r\nhello\r\n0\r\n\r\n")] // a size some read as 0
    [InlineData("5\r\nhello\r\n0\r\nX: 1\r\n y\r\n\r\n")] // obs-fold in the trailers
    public async Task A_broken_chunked_body_ends_the_exchange_with_400_instead_of_waiting_for_an_answer(string body)
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var world = await HttpWorld.StartAsync(Transport);
        using var connection = await world.ConnectAsync(ct);

        await connection.SendAsync($"POST /allowed/p HTTP/1.1\r\nHost: {world.Host}\r\nTransfer-Encoding: chunked\r\n\r\n{body}GET /secret HTTP/1.1\r\nHost: {world.Host}\r\n\r\n", ct);

        Assert.Equal(400, (await connection.ReadResponseAsync(ct)).Status);
        await connection.ExpectClosedAsync(ct);
        Assert.DoesNotContain(world.Origin.Requests, r => r.Target == "/secret");
    }
}

/// <summary><see cref="CanonicalForwardingTests"/> with inspected connections on the epoll transport (the default on Linux x86-64).</summary>
public sealed class CanonicalForwardingOnEpollTests : CanonicalForwardingTests
{
    protected override TcpTransport Transport => TcpTransport.Epoll;
}

/// <summary><see cref="CanonicalForwardingTests"/> with inspected connections on .NET's sockets.</summary>
public sealed class CanonicalForwardingOnSocketsTests : CanonicalForwardingTests
{
    protected override TcpTransport Transport => TcpTransport.Sockets;
}
