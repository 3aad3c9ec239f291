using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// What every adversarial case needs: raw connections from the pod, the lenient origin's log around the attempt, and
/// failure messages that show what the client saw, what the origin saw and what the proxy decided.
/// </summary>
internal sealed class Adversary(TestWorld world, MeshProcess mesh, LenientOrigin origin)
{
    public TestWorld World { get; } = world;

    public LenientOrigin Origin { get; } = origin;

    public static async Task<Adversary> StartAsync(TestWorld world, AdversaryMesh mesh, bool passthrough)
    {
        var origin = await LenientOrigin.ForAsync(world);
        return new Adversary(world, await mesh.UseAsync(world, passthrough), origin);
    }

    /// <summary>A connection from the pod to httpbin.org (or <paramref name="address"/>) at <paramref name="port"/>.</summary>
    public Task<RawConnection> ConnectAsync(int port = LenientOrigin.LenientPort, string address = WorldAddresses.HttpbinOrg) =>
        RawConnection.OpenAsync(World.Names.PodNamespace, address, port);

    /// <summary>What the origin logged after <paramref name="mark"/>, once a denied attempt had time to show up anyway.</summary>
    public async Task<IReadOnlyList<LenientLogEntry>> SeenAfterQuietAsync(int mark)
    {
        await Task.Delay(TimeBounds.Quiet);
        return Origin.Since(mark);
    }

    /// <summary>Asserts that nothing at all reached the origin since the mark: not even a connection attempt.</summary>
    public async Task AssertOriginUntouchedAsync(int mark, string attempt)
    {
        var seen = await SeenAfterQuietAsync(mark);
        Assert.True(seen.Count == 0, Explain($"{attempt}: the origin must not even see a connection", mark));
    }

    /// <summary>
    /// Asserts that every request the origin served since the mark is one the policy allows, as the origin itself
    /// routed it (after its lenient path normalisation), and that no HTTP/2 reached it, by upgrade or otherwise.
    /// </summary>
    public async Task<IReadOnlyList<LenientLogEntry>> AssertOnlyAllowedReachedAsync(int mark, string attempt)
    {
        var seen = await SeenAfterQuietAsync(mark);
        var forbidden = seen.Where(e => e.Event == "h2-preface"
            || (e.IsRequest && (e.Protocol == "HTTP/2" || e.Upgrade == "h2c" || !AdversaryPolicy.Allows(e.Method, e.Path)))).ToList();
        Assert.True(forbidden.Count == 0, Explain($"{attempt}: the origin served what the policy forbids: {string.Join("; ", forbidden)}", mark));
        return seen;
    }

    /// <summary>
    /// One attempt on a fresh connection: sends <paramref name="request"/> (Latin-1, byte for byte), reads the answer,
    /// then how the connection ended (briefly: a kept-alive connection is left open).
    /// </summary>
    public async Task<(HttpAnswer? Answer, Ending Ending)> ExchangeAsync(string request, int port = LenientOrigin.LenientPort,
        string address = WorldAddresses.HttpbinOrg, bool headRequest = false)
    {
        using var connection = await ConnectAsync(port, address);
        await connection.SendAsync(request);
        var answer = await connection.ReadResponseAsync(headRequest);
        var ending = await connection.EndingAsync(answer is null ? TimeBounds.Answer : TimeBounds.Quiet);
        return (answer, ending);
    }

    /// <summary>
    /// Asserts the proxy itself answered <paramref name="status"/> (not the origin), and that the origin saw nothing
    /// at all: the request was decided (or refused) before any upstream connection.
    /// </summary>
    public async Task ExpectProxyAnswerAsync(int status, string request, string attempt, int port = LenientOrigin.LenientPort,
        string address = WorldAddresses.HttpbinOrg)
    {
        var mark = Origin.Mark();
        var (answer, ending) = await ExchangeAsync(request, port, address);
        Assert.True(answer is { FromOrigin: false } && answer.Status == status,
            Explain($"{attempt}: expected the proxy's {status}, got {answer?.ToString() ?? $"no answer ({ending})"}", mark));
        await AssertOriginUntouchedAsync(mark, attempt);
    }

    /// <summary>Asserts the connection was reset without an answer and that the origin saw nothing at all.</summary>
    public async Task ExpectResetAsync(string request, string attempt, int port = LenientOrigin.LenientPort, string address = WorldAddresses.HttpbinOrg)
    {
        var mark = Origin.Mark();
        var (answer, ending) = await ExchangeAsync(request, port, address);
        Assert.True(answer is null && ending == Ending.Reset, Explain($"{attempt}: expected a reset, got {answer?.ToString() ?? ending.ToString()}", mark));
        await AssertOriginUntouchedAsync(mark, attempt);
    }

    public string Explain(string what, int mark) =>
        $"{what}\n{Origin.Describe(mark)}\nproxy decisions (latest last):\n  {string.Join("\n  ", mesh.RecentDecisions.TakeLast(12))}";
}
