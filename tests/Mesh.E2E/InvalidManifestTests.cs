using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// Bad input behaves like a rejected <c>kubectl apply</c>: an invalid new version of an Egress keeps the last accepted
/// one in force (traffic still flows), the rejection names file, object and field in the node's output, and the
/// admin metrics count it.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class InvalidManifestTests(TestWorld world)
{
    [Fact(Timeout = 45_000)]
    public async Task An_invalid_edit_keeps_the_accepted_policy_in_force_and_is_reported()
    {
        const string url = "https://httpbin.org:443/get";
        var manifests = world.CreateManifestDirectory();
        manifests.Apply("002-mesh-config.yaml", "mesh-config.yaml");
        manifests.Apply("002-httpbin-443.yaml", "curl/httpbin-443.yaml");
        await using var mesh = await world.StartMeshAsync(manifests);
        var steps = new DemoSteps(world, mesh);
        await steps.ExpectStatusAsync("HTTP/2 200", "-sI", url);

        var invalid = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Manifests", "002-httpbin-443.yaml"))
            .Replace("protocol: https", "protocol: quic", StringComparison.Ordinal);
        manifests.Write("curl/httpbin-443.yaml", invalid);

        var metrics = await Eventually.UntilAsync(() => mesh.AdminGetAsync("/metrics"),
            m => m.Stdout.Contains("mesh_control_objects_rejected 1", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.True(metrics.Stdout.Contains("mesh_control_objects_rejected 1", StringComparison.Ordinal),
            $"metrics never counted the rejection:\n{metrics.Stdout}\n{mesh.RecentOutput}");
        Assert.Contains("Egress curl/httpbin-443: spec.ports[0].protocol: 'quic' is not a protocol", mesh.RecentOutput, StringComparison.Ordinal);

        // The last accepted version still decides: the request still passes.
        await steps.ExpectStatusAsync("HTTP/2 200", "-sI", url);
    }
}
