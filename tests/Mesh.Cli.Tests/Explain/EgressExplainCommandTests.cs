using System.CommandLine;
using Mesh.Cli.Commands;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Cli.Tests.Explain;

/// <summary>
/// <c>mesh egress explain</c> reads the configuration <c>mesh run</c> reads: an OSM install names its MeshConfig
/// <c>osm-system/osm-mesh-config</c>, and explaining its manifests with the default name would explain another mesh.
/// </summary>
[Collection("process state")] // redirects the console; reads MESH__ variables another test sets
public sealed class EgressExplainCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public EgressExplainCommandTests()
    {
        _dir.Write("mesh-config.yaml", MeshConfig(enableEgress: true, ns: "osm-system", name: "osm-mesh-config"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_mesh_config_named_in_the_config_file_is_the_one_explained()
    {
        var config = Path.Combine(_dir.Path, "mesh.conf");
        File.WriteAllText(config, $"mesh.control {{\n  manifests = \"{_dir.Path}\"\n  mesh-config = \"osm-system/osm-mesh-config\"\n}}\n");

        var (code, output) = Explain("--config", config, "--from", "curl/curl", "--to", "192.0.2.1:8080");

        Assert.True(code == 0, output);
        Assert.StartsWith("ALLOWED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_it_the_default_mesh_config_counts_and_passthrough_is_off()
    {
        var (code, output) = Explain("--manifests", _dir.Path, "--from", "curl/curl", "--to", "192.0.2.1:8080");

        Assert.True(code == 1, output);
    }

    [Fact]
    public void The_flag_overrides_the_file()
    {
        var config = Path.Combine(_dir.Path, "mesh.conf");
        File.WriteAllText(config, $"mesh.control.manifests = \"{_dir.Path}\"\n");

        var (code, output) = Explain("--config", config, "--mesh-config", "osm-system/osm-mesh-config", "--from", "curl/curl", "--to", "192.0.2.1:8080");

        Assert.True(code == 0, output);
    }

    private static (int Code, string Output) Explain(params string[] args)
    {
        var root = new RootCommand { EgressCommand.Create() };
        var output = new StringWriter();
        var previous = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            var code = root.Parse(["egress", "explain", .. args]).Invoke();
            return (code, output.ToString());
        }
        finally
        {
            Console.SetOut(previous.Out);
            Console.SetError(previous.Error);
        }
    }
}
