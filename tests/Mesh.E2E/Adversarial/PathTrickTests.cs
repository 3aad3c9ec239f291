using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// Paths written so that a pathRegex match and the origin's routing could disagree. The routes allow "/get",
/// "/anything/.*" and ".*\.png"; the origin routes on the path after decoding every escape, reading '\' as '/',
/// dropping ";parameters", merging slashes and removing dot segments, as real servers variously do. Each path either
/// gets the proxy's refusal before any upstream connection, or reaches the origin as a path the routes allow.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class PathTrickTests(TestWorld world, AdversaryMesh mesh) : IClassFixture<AdversaryMesh>
{
    private const int Limit = 60_000;

    public static TheoryData<string, int> Refused() => new()
    {
        { "/anything/../admin", 400 },
        { "/anything/./../admin", 400 },
        { "/anything/x/../../admin", 400 },
        { "/anything/%2e%2e/admin", 400 },
        { "/anything/%2E%2E/admin", 400 },
        { "/anything/.%2e/admin", 400 },
        { "/anything/%2e./admin", 400 },
        { "/anything/..;/admin", 400 },
        { "/anything/..;x=1/admin", 400 },
        { "/anything/..%3b/admin", 400 },
        { "/anything/..%2fadmin", 400 },
        { "/anything%2f..%2fadmin", 400 },
        { "/anything/..%5cadmin", 400 },
        { "/anything\\..\\admin", 400 },
        { "/anything/%252e%252e/admin", 400 },
        { "/anything/%c0%ae%c0%ae/admin", 400 },
        { "/anything/%e0%80%ae%e0%80%ae/admin", 400 },
        { "/anything//../admin", 400 },
        { "/get/..", 400 },
        { "/admin%00.png", 400 },
        { "/admin%0d%0a.png", 400 },
        { "/anything/%", 400 },
        { "/anything/%zz", 400 },
        { "/admin#/get", 400 },
        { "/admin#.png", 400 },
        { "/anything/\u00e9", 400 },
        { "/admin;.png", 404 },
        { "/admin;x=.png", 404 },
        { "/admin%3b.png", 404 },
        { "/admin%3B.png", 404 },
        { "//admin", 404 },
        { "///anything", 404 },
        { "/admin?/get", 404 },
        { "/admin?x.png", 404 },
        { "/GET", 404 },
        { "/get/", 404 },
        { "/get%2f", 400 },
        { "/Anything/x", 404 },
        { "*", 400 },
        { "/anything", 404 },
    };

    [Theory(Timeout = Limit)]
    [MemberData(nameof(Refused))]
    public async Task A_path_that_could_route_outside_the_routes_is_refused_before_any_upstream_connection(string path, int status)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        await adversary.ExpectProxyAnswerAsync(status, $"GET {path} HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", $"GET {path}");
    }

    public static TheoryData<string, string> Served() => new()
    {
        { "/get?next=/admin", "/get" },
        { "/get?x=..%2f..%2fadmin", "/get" },
        { "/g%65t", "/get" },
        { "/%67%65%74", "/get" },
        { "/anything/x;y=1", "/anything/x" },
        { "/anything/a%3fb", "/anything/a?b" },
        { "/anything/x.png", "/anything/x.png" },
        { "/logo.png", "/logo.png" },
        { "/anything/...", "/anything/..." },
        { "/anything/.well-known", "/anything/.well-known" },
        { "/anything/caf%C3%A9", "/anything/caf\u00c3\u00a9" },
    };

    [Theory(Timeout = Limit)]
    [MemberData(nameof(Served))]
    public async Task An_allowed_path_in_any_spelling_reaches_the_origin_as_an_allowed_path(string path, string originPath)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();

        var (answer, _) = await adversary.ExchangeAsync($"GET {path} HTTP/1.1\r\nHost: httpbin.org\r\n\r\n");

        Assert.True(answer is { Status: 200, FromOrigin: true }, adversary.Explain($"GET {path}: expected the origin's 200, got {answer}", mark));
        var served = Assert.Single(await adversary.AssertOnlyAllowedReachedAsync(mark, $"GET {path}"), e => e.IsRequest);
        Assert.True(served.Path == originPath && served.Target == path, adversary.Explain($"GET {path}: forwarded as sent, routed by the origin to {originPath}", mark));
    }
}
