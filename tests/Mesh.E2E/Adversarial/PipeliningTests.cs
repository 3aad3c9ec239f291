using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// Several requests in one write: each is decided on its own (egress-semantics step 4), so a forbidden request riding
/// behind an allowed one gets the proxy's 404 and never reaches the origin, whatever framing the allowed one had.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class PipeliningTests(TestWorld world, AdversaryMesh mesh) : IClassFixture<AdversaryMesh>
{
    private const int Limit = 60_000;
    private const string Forbidden = "GET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n";
    private const string Allowed = "GET /get HTTP/1.1\r\nHost: httpbin.org\r\n\r\n";

    public static TheoryData<string, bool, string, int[]> Sequences() => new()
    {
        { "allowed then forbidden", false, Allowed + Forbidden, [200, 404] },
        { "allowed then forbidden (passthrough)", true, Allowed + Forbidden, [200, 404] },
        { "allowed, forbidden, allowed", false, Allowed + Forbidden + Allowed, [200, 404, 200] },
        { "a POST with a body, then forbidden", false, "POST /anything/p HTTP/1.1\r\nHost: httpbin.org\r\nContent-Length: 5\r\n\r\nhello" + Forbidden, [200, 404] },
        { "a chunked POST, then forbidden", false, "POST /anything/p HTTP/1.1\r\nHost: httpbin.org\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + Forbidden, [200, 404] },
        { "a HEAD (no body in its answer), then forbidden", false, "HEAD /get HTTP/1.1\r\nHost: httpbin.org\r\n\r\n" + Forbidden, [200, 404] },
        { "empty lines between requests", true, Allowed + "\r\n\r\n" + Forbidden + "\r\n" + Allowed, [200, 404, 200] },
        { "forbidden, then allowed", true, Forbidden + Allowed, [404, 200] },
        { "a forbidden request for another host behind an allowed one (passthrough)", true, Allowed + "GET /admin HTTP/1.1\r\nHost: httpbin.org:8080\r\n\r\n", [200, 404] },
    };

    [Theory(Timeout = Limit)]
    [MemberData(nameof(Sequences))]
    public async Task Each_pipelined_request_is_decided_on_its_own(string name, bool passthrough, string requests, int[] statuses)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync(requests);
        var answers = new List<HttpAnswer?>();
        foreach (var (status, i) in statuses.Select((s, i) => (s, i)))
        {
            answers.Add(await connection.ReadResponseAsync(headRequest: i == 0 && requests.StartsWith("HEAD", StringComparison.Ordinal)));
        }

        for (var i = 0; i < statuses.Length; i++)
        {
            var expectOrigin = statuses[i] == 200;
            Assert.True(answers[i] is { } a && a.Status == statuses[i] && a.FromOrigin == expectOrigin,
                adversary.Explain($"{name}: answer {i + 1} should be {statuses[i]} from the {(expectOrigin ? "origin" : "proxy")}, got {answers[i]}", mark));
        }
        var seen = await adversary.AssertOnlyAllowedReachedAsync(mark, name);
        Assert.True(seen.Count(e => e.IsRequest) == statuses.Count(s => s == 200), adversary.Explain($"{name}: one origin request per allowed one", mark));
    }

    [Fact(Timeout = Limit)]
    public async Task A_GET_whose_body_holds_a_forbidden_request_reaches_the_origin_as_a_body_only()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync($"GET /get HTTP/1.1\r\nHost: httpbin.org\r\nContent-Length: {Forbidden.Length}\r\n\r\n{Forbidden}");
        var answer = await connection.ReadResponseAsync();

        Assert.True(answer is { Status: 200, FromOrigin: true }, adversary.Explain($"expected the origin's 200, got {answer}", mark));
        var served = Assert.Single(await adversary.AssertOnlyAllowedReachedAsync(mark, "GET with a request as its body"), e => e.IsRequest);
        Assert.Equal(Forbidden.Length, served.BodyBytes);
    }
}
