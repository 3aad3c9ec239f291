using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// Request smuggling: an allowed request (POST /anything/carrier) whose framing some server could read differently,
/// with a forbidden request (GET /admin) where the body would end under the other reading. Every case runs against
/// both lenient origins: one reads framing as the most forgiving servers do (chunked wherever "chunked" appears,
/// Transfer_Encoding for Transfer-Encoding, leading digits of Content-Length), the other literally (chunked only for
/// exactly "chunked"). Either the proxy refuses the request before any upstream connection, or it forwards framing
/// both origins read the same way; in no case does /admin reach an origin.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class RequestSmugglingTests(TestWorld world, AdversaryMesh mesh) : IClassFixture<AdversaryMesh>
{
    private const int Limit = 60_000;
    private const string Smuggled = "GET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n";
    private const string EndOfChunks = "0\r\n\r\n";
    private static readonly int[] Ports = [LenientOrigin.LenientPort, LenientOrigin.LiteralPort];

    private static string Carrier(string fields, string body, string version = "HTTP/1.1") =>
        $"POST /anything/carrier {version}\r\nHost: httpbin.org\r\n{fields}\r\n{body}";

    /// <summary>Content-Length covering "0\r\n\r\n" and the smuggled request, plus a Transfer-Encoding in some spelling.</summary>
    private static string Conflict(string transferEncoding, bool lengthFirst = true)
    {
        var body = EndOfChunks + Smuggled;
        var length = $"Content-Length: {body.Length}\r\n";
        return Carrier(lengthFirst ? length + transferEncoding : transferEncoding + length, body);
    }

    public static TheoryData<string, int, string, int> Refused()
    {
        var cases = new List<(string Name, string Request, int Status)>
        {
            ("CL then TE", Conflict("Transfer-Encoding: chunked\r\n"), 400),
            ("TE then CL", Conflict("Transfer-Encoding: chunked\r\n", lengthFirst: false), 400),
            ("CL and TE xchunked", Conflict("Transfer-Encoding: xchunked\r\n"), 400),
            ("CL and TE 'chunked ,'", Conflict("Transfer-Encoding: chunked ,\r\n"), 400),
            ("CL and TE with a tab", Conflict("Transfer-Encoding:\tchunked\r\n"), 400),
            ("CL and TE in upper case", Conflict("TRANSFER-ENCODING: CHUNKED\r\n"), 400),
            ("CL and TE space before colon", Conflict("Transfer-Encoding : chunked\r\n"), 400),
            ("CL and TE obs-folded", Conflict("Transfer-Encoding:\r\n chunked\r\n"), 400),
            ("CL and TE as a folded continuation", Conflict("X-Pad: a\r\n Transfer-Encoding: chunked\r\n"), 400),
            ("CL and Transfer_Encoding", Conflict("Transfer_Encoding: chunked\r\n"), 400),
            ("CL and TE identity", Conflict("Transfer-Encoding: identity\r\n"), 400),
            ("CL and TE chunked then identity lines", Conflict("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n"), 400),
            ("CL and TE quoted", Conflict("Transfer-Encoding: \"chunked\"\r\n"), 400),
            ("CL and TE after a bare LF", Conflict("X-Pad: a\nTransfer-Encoding: chunked\r\n"), 400),
            ("CL and TE with a bare CR", Conflict("Transfer-Encoding: chunked\rX: y\r\n"), 400),
            ("two different CLs", Carrier($"Content-Length: 5\r\nContent-Length: {(EndOfChunks + Smuggled).Length}\r\n", EndOfChunks + Smuggled), 400),
            ("a CL list of two lengths", Carrier($"Content-Length: 5, {Smuggled.Length}\r\n", "hello" + Smuggled), 400),
            ("CL with a plus sign", Carrier("Content-Length: +5\r\n", "hello" + Smuggled), 400),
            ("CL in hex", Carrier("Content-Length: 0x5\r\n", "hello" + Smuggled), 400),
            ("CL with a space inside", Carrier("Content-Length: 1 5\r\n", "hello" + Smuggled), 400),
            ("CL negative", Carrier("Content-Length: -5\r\n", "hello" + Smuggled), 400),
            ("Content_Length", Carrier($"Content_Length: {Smuggled.Length}\r\n", Smuggled), 400),
            ("CL named hop-by-hop by Connection", Carrier($"Content-Length: {Smuggled.Length}\r\nConnection: Content-Length\r\n", Smuggled), 400),
            ("TE named hop-by-hop by Connection", Carrier("Transfer-Encoding: chunked\r\nConnection: keep-alive, transfer-encoding\r\n", EndOfChunks + Smuggled), 400),
            ("TE xchunked alone", Carrier("Transfer-Encoding: xchunked\r\n", EndOfChunks + Smuggled), 400),
            ("TE chunked, identity", Carrier("Transfer-Encoding: chunked, identity\r\n", EndOfChunks + Smuggled), 400),
            ("TE chunked twice", Carrier("Transfer-Encoding: chunked, chunked\r\n", EndOfChunks + Smuggled), 400),
            ("TE gzip, chunked", Carrier("Transfer-Encoding: gzip, chunked\r\n", EndOfChunks + Smuggled), 501),
            ("TE in HTTP/1.0", Carrier("Transfer-Encoding: chunked\r\n", EndOfChunks + Smuggled, "HTTP/1.0"), 400),
        };
        var data = new TheoryData<string, int, string, int>();
        foreach (var port in Ports)
        {
            foreach (var (name, request, status) in cases) data.Add(name, port, request, status);
        }
        return data;
    }

    [Theory(Timeout = Limit)]
    [MemberData(nameof(Refused))]
    public async Task Ambiguous_framing_is_refused_by_the_proxy_and_no_origin_sees_a_connection(string name, int port, string request, int status)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        await adversary.ExpectProxyAnswerAsync(status, request, name, port);
    }

    public static TheoryData<string, int, string, string, long> Canonicalised()
    {
        var chunkedHello = "5\r\nhello\r\n" + EndOfChunks;
        var cases = new List<(string Name, string Request, string Framing, long Body)>
        {
            ("TE Chunked", Carrier("Transfer-Encoding: Chunked\r\n", chunkedHello + Smuggled), "chunked", 5),
            ("TE 'chunked ,'", Carrier("Transfer-Encoding: chunked ,\r\n", chunkedHello + Smuggled), "chunked", 5),
            ("TE with a tab", Carrier("Transfer-Encoding:\tchunked\r\n", chunkedHello + Smuggled), "chunked", 5),
            ("TE with trailing whitespace", Carrier("Transfer-Encoding: chunked \t\r\n", chunkedHello + Smuggled), "chunked", 5),
            ("TE empty line then chunked", Carrier("Transfer-Encoding: \r\nTransfer-Encoding: chunked\r\n", chunkedHello + Smuggled), "chunked", 5),
            ("CL with leading zeros", Carrier("Content-Length: 005\r\n", "hello" + Smuggled), "content-length 5", 5),
            ("CL repeated", Carrier("Content-Length: 5\r\nContent-Length: 5\r\n", "hello" + Smuggled), "content-length 5", 5),
            ("CL list of equal lengths", Carrier("Content-Length: 5, 5\r\n", "hello" + Smuggled), "content-length 5", 5),
        };
        var data = new TheoryData<string, int, string, string, long>();
        foreach (var port in Ports)
        {
            foreach (var (name, request, framing, body) in cases) data.Add(name, port, request, framing, body);
        }
        return data;
    }

    [Theory(Timeout = Limit)]
    [MemberData(nameof(Canonicalised))]
    public async Task Framing_both_readings_agree_on_is_forwarded_canonically_and_the_pipelined_request_is_decided_on_its_own(
        string name, int port, string request, string framing, long bodyBytes)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync(port);

        await connection.SendAsync(request);
        var carrier = await connection.ReadResponseAsync();
        var smuggled = await connection.ReadResponseAsync();

        Assert.True(carrier is { Status: 200, FromOrigin: true }, adversary.Explain($"{name}: the carrier should be served, got {carrier}", mark));
        Assert.True(smuggled is { Status: 404, FromOrigin: false }, adversary.Explain($"{name}: GET /admin after the body is the proxy's 404, got {smuggled}", mark));
        var seen = await adversary.AssertOnlyAllowedReachedAsync(mark, name);
        var served = Assert.Single(seen, e => e.IsRequest);
        Assert.True(served is { Path: "/anything/carrier" } && served.Framing == framing && served.BodyBytes == bodyBytes,
            adversary.Explain($"{name}: the origin must read the carrier's body as {framing}, {bodyBytes} bytes", mark));
    }

    public static TheoryData<string, int, string> BrokenChunks()
    {
        var cases = new List<(string Name, string Body)>
        {
            ("a size in hex notation", "0x5\r\nhello\r\n"),
            ("a bare LF after the size", "5\nhello\r\n0\r\n\r\n"),
            ("no CRLF after the data", "5\r\nhelloXX0\r\n\r\n"),
            ("a size that overflows", "10000000000000000000005\r\nhello\r\n0\r\n\r\n"),
            ("a bare CR in an extension", "5;a=\"\r\"\r\nhello\r\n0\r\n\r\n"),
            ("an obs-folded trailer", "0\r\nX: 1\r\n y\r\n\r\n"),
            ("a space before the size", " 5\r\nhello\r\n0\r\n\r\n"),
        };
        var data = new TheoryData<string, int, string>();
        foreach (var port in Ports)
        {
            foreach (var (name, body) in cases) data.Add(name, port, Carrier("Transfer-Encoding: chunked\r\n", body + Smuggled));
        }
        return data;
    }

    [Theory(Timeout = Limit)]
    [MemberData(nameof(BrokenChunks))]
    public async Task A_chunked_body_with_broken_framing_ends_the_connection_and_nothing_past_the_fault_is_forwarded(string name, int port, string request)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();

        var (answer, ending) = await adversary.ExchangeAsync(request, port);

        Assert.True(answer is null or { Status: 400, FromOrigin: false } && ending != Ending.StillOpen,
            adversary.Explain($"{name}: expected the proxy's 400 (or a close), got {answer?.ToString() ?? "no answer"}, connection {ending}", mark));
        await adversary.AssertOnlyAllowedReachedAsync(mark, name);
    }
}
