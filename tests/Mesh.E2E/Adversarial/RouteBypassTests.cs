using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// Issue 14, as reported: the two ways around the per-request route checks. The origin accepts h2c upgrades and
/// skips leading empty lines, as Go's h2c handler, Jetty, nginx and Node do, so a pass means the proxy stopped them.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class RouteBypassTests(TestWorld world, AdversaryMesh mesh) : IClassFixture<AdversaryMesh>
{
    private const int Limit = 60_000;
    private const string Host = "httpbin.org";

    [Fact(Timeout = Limit)]
    public async Task An_h2c_upgrade_of_an_allowed_request_never_turns_into_an_uninspected_HTTP2_connection()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync($"GET /get HTTP/1.1\r\nHost: {Host}\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n" +
            $"HTTP2-Settings: {H2Frames.SettingsHeaderValue}\r\n\r\n");
        var answer = await connection.ReadResponseAsync();
        // The attacker speaks HTTP/2 now whatever the answer was: preface, SETTINGS, and a request no route allows.
        await connection.SendAsync([.. H2Frames.Preface, .. H2Frames.Settings(), .. H2Frames.Get(3, Host, "/status/418")]);
        var after = await connection.ReadAvailableAsync(TimeBounds.Quiet);

        Assert.True(answer is { Status: 200, FromOrigin: true }, adversary.Explain($"the allowed GET /get must be answered by the origin as HTTP/1.1, got {answer}", mark));
        Assert.False(after.AsSpan().IndexOf("\0\0"u8) == 0, adversary.Explain("the client must not get HTTP/2 frames back", mark));
        var seen = await adversary.AssertOnlyAllowedReachedAsync(mark, "h2c upgrade then HTTP/2");
        var request = Assert.Single(seen, e => e.IsRequest);
        Assert.True(request is { Path: "/get", Upgrade: null }, adversary.Explain("the origin must get GET /get without an h2c upgrade", mark));
    }

    [Fact(Timeout = Limit)]
    public async Task A_leading_empty_line_under_passthrough_is_still_inspected_and_a_forbidden_path_gets_the_proxy_404()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync($"\r\nGET /status/418 HTTP/1.1\r\nHost: {Host}\r\n\r\n");
        var answer = await connection.ReadResponseAsync();

        Assert.True(answer is { Status: 404, FromOrigin: false }, adversary.Explain($"expected the proxy's 404, got {answer?.ToString() ?? "no answer"}", mark));
        await adversary.AssertOriginUntouchedAsync(mark, "a leading CRLF before a forbidden request under passthrough");
    }

    [Fact(Timeout = Limit)]
    public async Task A_leading_empty_line_before_an_allowed_request_is_skipped_as_the_parser_skips_it_and_the_request_is_served()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendAsync($"\r\n\r\nGET /get HTTP/1.1\r\nHost: {Host}\r\n\r\n");
        var answer = await connection.ReadResponseAsync();

        Assert.True(answer is { Status: 200, FromOrigin: true }, adversary.Explain($"expected the origin's 200, got {answer?.ToString() ?? "no answer"}", mark));
        var request = Assert.Single(await adversary.AssertOnlyAllowedReachedAsync(mark, "leading CRLFs before GET /get"), e => e.IsRequest);
        Assert.True(request.Detail is null, adversary.Explain("the proxy forwards the request without the empty lines", mark));
    }
}
