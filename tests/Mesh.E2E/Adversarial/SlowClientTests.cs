using System.Text;
using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// Clients that take their time: heads a byte at a time, and silence past the sniff timeout (5 s, the shipped default)
/// on a port with http rules under passthrough, where a timeout that made the flow opaque would let the late request
/// through uninspected (egress-semantics step 2).
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class SlowClientTests(TestWorld world, AdversaryMesh mesh) : IClassFixture<AdversaryMesh>
{
    private const int Limit = 60_000;

    /// <summary>Longer than the proxy's sniff timeout (mesh.proxy.sniff-timeout, 5 s in hocon/reference.conf).</summary>
    private static readonly TimeSpan PastSniffTimeout = TimeSpan.FromSeconds(6);

    [Fact(Timeout = Limit)]
    public async Task An_allowed_head_sent_a_byte_at_a_time_is_served()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendInPiecesAsync(Encoding.ASCII.GetBytes("GET /get HTTP/1.1\r\nHost: httpbin.org\r\n\r\n"), 1, TimeSpan.FromMilliseconds(2));
        var answer = await connection.ReadResponseAsync();

        Assert.True(answer is { Status: 200, FromOrigin: true }, adversary.Explain($"expected the origin's 200, got {answer}", mark));
        await adversary.AssertOnlyAllowedReachedAsync(mark, "byte at a time");
    }

    [Theory(Timeout = Limit)]
    [InlineData("\r\nGET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n")]
    [InlineData("GET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n")]
    public async Task A_forbidden_head_sent_a_byte_at_a_time_under_passthrough_gets_the_proxy_404(string request)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await connection.SendInPiecesAsync(Encoding.ASCII.GetBytes(request), 1, TimeSpan.FromMilliseconds(2));
        var answer = await connection.ReadResponseAsync();

        Assert.True(answer is { Status: 404, FromOrigin: false }, adversary.Explain($"expected the proxy's 404, got {answer}", mark));
        await adversary.AssertOriginUntouchedAsync(mark, "forbidden byte at a time");
    }

    [Theory(Timeout = Limit)]
    [InlineData("", "GET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n")] // silent from the start
    [InlineData("GE", "T /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n")] // undecided, then silent
    [InlineData("\r\n", "GET /admin HTTP/1.1\r\nHost: httpbin.org\r\n\r\n")] // an empty line, then silent
    [InlineData("PRI * HTTP/2.0\r\n", "\r\nSM\r\n\r\n")] // half a preface, then silent
    public async Task Silence_past_the_sniff_timeout_under_passthrough_does_not_make_the_flow_opaque(string first, string rest)
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        if (first.Length > 0) await connection.SendAsync(first);
        await Task.Delay(PastSniffTimeout); // the input of this case: the client says nothing more for this long
        await connection.SendAsync(rest);
        var answer = await connection.ReadResponseAsync();
        var ending = answer is null ? await connection.EndingAsync() : Ending.StillOpen;

        var expectation = rest.StartsWith("\r\nSM", StringComparison.Ordinal) ? "a reset (HTTP/2 on an http port)" : "the proxy's 404";
        Assert.True(rest.StartsWith("\r\nSM", StringComparison.Ordinal) ? answer is null && ending == Ending.Reset : answer is { Status: 404, FromOrigin: false },
            adversary.Explain($"expected {expectation} after the silence, got {answer?.ToString() ?? ending.ToString()}", mark));
        await adversary.AssertOriginUntouchedAsync(mark, "late request after silence");
    }

    [Fact(Timeout = Limit)]
    public async Task An_allowed_request_after_a_long_silence_is_still_served()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: true);
        var mark = adversary.Origin.Mark();
        using var connection = await adversary.ConnectAsync();

        await Task.Delay(PastSniffTimeout);
        await connection.SendAsync("GET /get HTTP/1.1\r\nHost: httpbin.org\r\n\r\n");
        var answer = await connection.ReadResponseAsync();

        Assert.True(answer is { Status: 200, FromOrigin: true }, adversary.Explain($"expected the origin's 200, got {answer}", mark));
        await adversary.AssertOnlyAllowedReachedAsync(mark, "allowed after silence");
    }

    [Fact(Timeout = Limit)]
    public async Task A_forbidden_tls_hello_sent_a_byte_at_a_time_is_reset_before_any_upstream_connection()
    {
        var adversary = await Adversary.StartAsync(world, mesh, passthrough: false);
        var mark = world.OriginLog.Mark();
        using var connection = await adversary.ConnectAsync(443);

        await connection.SendInPiecesAsync(TlsHellos.Records(TlsHellos.Message("openservicemesh.io")), 1, TimeSpan.FromMilliseconds(1));

        Assert.Equal(Ending.Reset, await connection.EndingAsync());
        await Task.Delay(TimeBounds.Quiet);
        Assert.True(world.OriginLog.Since(mark).Count == 0, world.OriginLog.Describe(mark));
    }
}
