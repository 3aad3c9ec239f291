using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// Which host a request is for, written every way servers read differently: absolute-form against Host, ports,
/// case, trailing dots, duplicates, userinfo, escapes. Passthrough is on, so a request the proxy failed to tie to
/// httpbin.org's policy would reach the origin untouched; each must instead be decided as httpbin.org (its 404 for
/// /admin) or refused outright.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class HostAndTargetTests(TestWorld world, AdversaryMesh mesh) : IClassFixture<AdversaryMesh>
{
    private const int Limit = 60_000;

    public static TheoryData<string, string, int> Forbidden() => new()
    {
        { "absolute-form for a forbidden path", "GET http://httpbin.org:8080/admin HTTP/1.1\r\nHost: httpbin.org:8080\r\n\r\n", 404 },
        { "absolute-form naming httpbin.org, Host another", "GET http://httpbin.org:8080/get HTTP/1.1\r\nHost: openservicemesh.io:8080\r\n\r\n", 400 },
        { "absolute-form naming another host, Host httpbin.org", "GET http://openservicemesh.io:8080/admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "absolute-form without a port, Host with one", "GET http://httpbin.org/admin HTTP/1.1\r\nHost: httpbin.org:8080\r\n\r\n", 400 },
        { "absolute-form https on a cleartext port", "GET https://httpbin.org/admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "absolute-form with userinfo", "GET http://user@httpbin.org/admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "absolute-form in HTTP/1.0 without Host", "GET http://httpbin.org/admin HTTP/1.0\r\n\r\n", 404 },
        { "Host with another port", "GET /admin HTTP/1.1\r\nHost: httpbin.org:8081\r\n\r\n", 404 },
        { "Host with port 80", "GET /admin HTTP/1.1\r\nHost: httpbin.org:80\r\n\r\n", 404 },
        { "Host with a zero-padded port", "GET /admin HTTP/1.1\r\nHost: httpbin.org:08080\r\n\r\n", 404 },
        { "Host in upper case", "GET /admin HTTP/1.1\r\nHost: HTTPBIN.ORG\r\n\r\n", 404 },
        { "Host with a trailing dot", "GET /admin HTTP/1.1\r\nHost: httpbin.org.\r\n\r\n", 404 },
        { "Host with two trailing dots", "GET /admin HTTP/1.1\r\nHost: httpbin.org..\r\n\r\n", 404 },
        { "Host with a trailing dot and a port", "GET /admin HTTP/1.1\r\nHost: httpbin.org.:8080\r\n\r\n", 404 },
        { "Host with tabs around it", "GET /admin HTTP/1.1\r\nHost:\thttpbin.org\t\r\n\r\n", 404 },
        { "two Host fields", "GET /admin HTTP/1.1\r\nHost: openservicemesh.io\r\nHost: httpbin.org\r\n\r\n", 400 },
        { "two Host fields, other case", "GET /admin HTTP/1.1\r\nhost: openservicemesh.io\r\nHOST: httpbin.org\r\n\r\n", 400 },
        { "Host with userinfo", "GET /admin HTTP/1.1\r\nHost: evil@httpbin.org\r\n\r\n", 400 },
        { "Host escaped", "GET /admin HTTP/1.1\r\nHost: httpbin%2Eorg\r\n\r\n", 400 },
        { "Host with a path", "GET /admin HTTP/1.1\r\nHost: httpbin.org/x\r\n\r\n", 400 },
        { "Host with a bad port", "GET /admin HTTP/1.1\r\nHost: httpbin.org:80x\r\n\r\n", 400 },
        { "Host empty", "GET /admin HTTP/1.1\r\nHost:\r\n\r\n", 400 },
        { "no Host in HTTP/1.0", "GET /admin HTTP/1.0\r\n\r\n", 400 },
        { "no Host in HTTP/1.1", "GET /admin HTTP/1.1\r\n\r\n", 400 },
        { "Host as a list", "GET /admin HTTP/1.1\r\nHost: httpbin.org, openservicemesh.io\r\n\r\n", 400 },
        { "Host as a list without spaces", "GET /admin HTTP/1.1\r\nHost: httpbin.org,openservicemesh.io\r\n\r\n", 400 },
        { "Host with sub-delims", "GET /admin HTTP/1.1\r\nHost: httpbin.org;x=1\r\n\r\n", 400 },
        { "X-Forwarded-Host does not move the request", "GET /admin HTTP/1.1\r\nHost: httpbin.org\r\nX-Forwarded-Host: openservicemesh.io\r\n\r\n", 404 },
    };

    [Theory(Timeout = Limit)]
    [MemberData(nameof(Forbidden))]
    public async Task A_request_that_names_httpbin_org_any_way_is_decided_by_its_policy_or_refused(string name, string request, int status)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        await adversary.ExpectProxyAnswerAsync(status, request, name);
    }

    public static TheoryData<string, string, string> Allowed() => new()
    {
        { "Host in upper case", "GET /get HTTP/1.1\r\nHost: HTTPBIN.ORG\r\n\r\n", "/get" },
        { "Host with a trailing dot and the port", "GET /get HTTP/1.1\r\nHost: httpbin.org.:8080\r\n\r\n", "/get" },
        { "absolute-form with a matching Host", "GET http://httpbin.org:8080/get HTTP/1.1\r\nHost: httpbin.org:8080\r\n\r\n", "/get" },
    };

    [Theory(Timeout = Limit)]
    [MemberData(nameof(Allowed))]
    public async Task Every_spelling_of_the_allowed_host_reaches_it_with_the_allowed_path(string name, string request, string path)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();

        var (answer, _) = await adversary.ExchangeAsync(request);

        Assert.True(answer is { Status: 200, FromOrigin: true }, adversary.Explain($"{name}: expected the origin's 200, got {answer}", mark));
        var served = Assert.Single(await adversary.AssertOnlyAllowedReachedAsync(mark, name), e => e.IsRequest);
        Assert.Equal(path, served.Path);
        Assert.Equal($"{WorldAddresses.HttpbinOrg}:{LenientOrigin.LenientPort}", served.Local);
    }
}
