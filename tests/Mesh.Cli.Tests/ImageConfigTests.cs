using Mesh.Cli.Configuration;

namespace Mesh.Cli.Tests;

/// <summary>The image's default config (deploy/mesh.conf, /etc/mesh/mesh.conf in the Dockerfile) binds to valid settings.</summary>
[Collection("process state")] // reads MESH__ variables another test sets
public class ImageConfigTests
{
    [Fact]
    public void The_image_config_binds_with_the_admin_listener_on_the_pod_address()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Mesh.sln"))) root = root.Parent!;
        var settings = MeshSettings.Read(MeshConfiguration.Build(Path.Combine(root.FullName, "deploy", "mesh.conf"), new Dictionary<string, string?>()).Settings);
        Assert.Equal("0.0.0.0:15000", settings.Proxy.AdminEndpoint.ToString());
        Assert.Equal("/etc/mesh/manifests", settings.Control.ManifestDirectory);
        Assert.Equal("default/default", settings.Identity.ToString());
    }
}
