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
    /// routed it (after its lenient path normalisation), and that no HTTP/2 or upgraded traffic reached it.
    /// </summary>
    public async Task<IReadOnlyList<LenientLogEntry>> AssertOnlyAllowedReachedAsync(int mark, string attempt)
    {
        var seen = await SeenAfterQuietAsync(mark);
        var forbidden = seen.Where(e => e.Event is "h2-preface" or "tunnel"
            || (e.IsRequest && (e.Protocol == "HTTP/2" || e.Upgrade == "h2c" || !AdversaryPolicy.Allows(e.Method, e.Path)))).ToList();
        Assert.True(forbidden.Count == 0, Explain($"{attempt}: the origin served what the policy forbids: {string.Join("; ", forbidden)}", mark));
        return seen;
    }

    public string Explain(string what, int mark) =>
        $"{what}\n{Origin.Describe(mark)}\nproxy decisions (latest last):\n  {string.Join("\n  ", mesh.RecentDecisions.TakeLast(12))}";
}
