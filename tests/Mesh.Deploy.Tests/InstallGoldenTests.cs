using Mesh.Deploy.Commands;
using Mesh.Deploy.Tests.Support;

namespace Mesh.Deploy.Tests;

/// <summary>
/// <c>mesh install --dry-run</c>, whole, against golden files (certificates masked; they are checked in
/// <see cref="InstallManifestTests"/>). Regenerate with MESH_UPDATE_GOLDEN=1.
/// </summary>
public sealed class InstallGoldenTests
{
    public static TheoryData<string, string[], string?, string?> Cases => new()
    {
        { "install-default.yaml", [], null, null },
        {
            "install-egress-on-five-replicas.yaml",
            ["mesh.enableEgress=true", "controller.replicas=5", "image.repository=registry.example/mesh", "image.tag=1.2.3"],
            null, null
        },
        {
            "install-osm-names-exclusions-container-sidecar.yaml",
            [
                "mesh.outboundIPRangeExclusionList={10.0.0.0/8,fd00::/8}", "mesh.outboundPortExclusionList={5432,6379}",
                "mesh.enableEgressPolicy=false,webhook.failurePolicy=Ignore", "proxy.sidecarMode=container",
                "controller.resources.limits.cpu=1", "controller.logLevel=debug",
            ],
            "osm", "osm-system"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dry_run_renders_the_golden_manifests(string golden, string[] sets, string? meshName, string? ns)
    {
        var (stdout, stderr, exit) = Install.DryRun(new InstallArguments(sets, meshName, ns));
        Assert.True(exit == 0, stderr);
        Assert.Equal("", stderr);
        Golden.AssertMatches(golden, Golden.WithoutGeneratedCertificates(stdout));
    }
}
