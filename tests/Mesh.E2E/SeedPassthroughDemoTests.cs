using System.Text.Json;
using Mesh.E2E.World;

namespace Mesh.E2E;

/// <summary>
/// Seed 000 (mesh-wide egress passthrough): with enableEgress the curl pod reaches https://httpbin.org:443;
/// patched off, the same request is refused (curl exit 7). Seed 001 adds the per-sidecar JSON it configures.
/// </summary>
[Collection(SharedWorld.Name)]
public sealed class SeedPassthroughDemoTests(TestWorld world)
{
    private const int Limit = 45_000;

    [Fact(Timeout = Limit)]
    public async Task Passthrough_reaches_httpbin_over_https_and_is_refused_once_patched_off()
    {
        var manifests = world.CreateManifestDirectory();
        manifests.Apply("000-mesh-config-egress-on.yaml", "mesh-config.yaml");
        await using var mesh = await world.StartMeshAsync(manifests);
        var steps = new DemoSteps(world, mesh);

        var (_, seen) = await steps.ExpectStatusAsync("HTTP/2 200", "-I", "https://httpbin.org:443");
        DemoSteps.AssertSeen(seen,
            e => e is { Event: "request", Sni: "httpbin.org", Local: $"{WorldAddresses.HttpbinOrg}:443" },
            "the HTTPS request to httpbin.org at its original destination");

        manifests.Apply("000-mesh-config-egress-off.yaml", "mesh-config.yaml");
        await steps.ExpectRefusedAsync("-I", "https://httpbin.org:443");
    }

    [Fact(Timeout = Limit)]
    public async Task Config_dump_carries_the_seeds_per_sidecar_fields_and_a_new_version_after_the_patch()
    {
        var manifests = world.CreateManifestDirectory();
        manifests.Apply("000-mesh-config-egress-on.yaml", "mesh-config.yaml");
        await using var mesh = await world.StartMeshAsync(manifests);
        var steps = new DemoSteps(world, mesh);

        var (on, _) = await steps.ExpectAsync(() => mesh.AdminGetAsync("/config_dump"),
            r => EnableEgress(r) == true, "config_dump with Spec.Traffic.EnableEgress true and SidecarLogLevel error");
        Assert.True(SidecarLogLevel(on) == "error", steps.Explain("expected Spec.SidecarLogLevel \"error\" (the default)", on));

        manifests.Apply("000-mesh-config-egress-off.yaml", "mesh-config.yaml");
        var (off, _) = await steps.ExpectAsync(() => mesh.AdminGetAsync("/config_dump"),
            r => EnableEgress(r) == false, "config_dump with Spec.Traffic.EnableEgress false after the patch");
        Assert.True(Version(on) is { } before && Version(off) is { } after && before != after,
            steps.Explain($"expected a new Version after the patch (before: {Version(on)})", off));
    }

    /// <summary>The seed's document: {"Spec":{"SidecarLogLevel":"error","Traffic":{"EnableEgress":true}}}.</summary>
    private static bool? EnableEgress(CommandResult dump) =>
        Find(dump, "Spec", "Traffic", "EnableEgress") is { ValueKind: JsonValueKind.True or JsonValueKind.False } value
            ? value.GetBoolean() : null;

    private static string? SidecarLogLevel(CommandResult dump) =>
        Find(dump, "Spec", "SidecarLogLevel") is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static string? Version(CommandResult dump) =>
        Find(dump, "Version") is { ValueKind: not JsonValueKind.Undefined } value ? value.ToString() : null;

    private static JsonElement? Find(CommandResult dump, params string[] path)
    {
        try
        {
            using var document = JsonDocument.Parse(dump.Stdout);
            var element = document.RootElement;
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
            }

            return element.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
