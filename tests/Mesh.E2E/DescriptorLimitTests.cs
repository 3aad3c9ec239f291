using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// A proxy under a low open-files limit (a container's), with more clients at once than its descriptors can serve.
/// Without a connection limit it ran out of descriptors and the .NET runtime ended it ("Out of memory.", exit 134)
/// within seconds; with <c>mesh.proxy.max-connections = auto</c> it stops accepting at the limit the open-files limit
/// allows, the other clients wait in the listen queue, and it serves again as connections end.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class DescriptorLimitTests(TestWorld world)
{
    private const int Limit = 90_000;
    private const int Held = 30;

    [Fact(Timeout = Limit)]
    public async Task Under_a_low_open_files_limit_the_proxy_pauses_accepting_instead_of_running_out_and_serves_again_as_connections_end()
    {
        var manifests = world.CreateManifestDirectory();
        manifests.Apply("000-mesh-config-egress-on.yaml", "mesh-config.yaml");
        int idle;
        await using (var unlimited = await world.StartMeshAsync(manifests))
        {
            idle = unlimited.OpenFiles;
        }
        // Room for twenty proxied connections (two descriptors each) beyond what it holds idle: the automatic limit
        // (its floor of 16 here) must stop it before thirty held connections take them all.
        await using var mesh = await world.StartMeshAsync(manifests, openFilesLimit: idle + 40);

        var hold = TestTime.Dilate(TimeSpan.FromSeconds(3));
        var held = Enumerable.Range(0, Held).Select(_ => world.PodHoldConnectionAsync(WorldAddresses.HttpbinOrg, 80, hold)).ToArray();
        var paused = await Eventually.UntilAsync(() => Task.FromResult(mesh.RecentOutput), o => o.Contains("accepting paused", StringComparison.Ordinal));
        Assert.Contains("holds 16 connections", paused, StringComparison.Ordinal);

        await Task.WhenAll(held);
        var (_, seen) = await new DemoSteps(world, mesh).ExpectStatusAsync("HTTP/1.1 200 OK", "-sI", "http://httpbin.org:80/get");
        Assert.NotEmpty(seen);
        Assert.False(mesh.HasExited, mesh.RecentOutput);
        Assert.DoesNotContain("TooManyOpenSockets", mesh.RecentOutput, StringComparison.Ordinal);
        Assert.Contains("accepting again", mesh.RecentOutput, StringComparison.Ordinal);
    }
}
