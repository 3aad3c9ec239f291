using System.Text.RegularExpressions;
using Mesh.Deploy.Injection;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Tests.Support;
using Mesh.Deploy.Values;
using Mesh.Hocon;
using Microsoft.Extensions.Configuration;

namespace Mesh.Deploy.Tests;

/// <summary>
/// No container engine runs here, so the image cannot be built in tests; what can be checked is that the Dockerfile
/// agrees with the repository and with the manifests: what it copies exists, the paths containers run are the ones
/// it fills, it runs as the proxy's uid, and the config it names parses with known keys only.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepoFiles.InRoot("Dockerfile"));

    [Fact]
    public void Every_path_it_copies_from_the_repository_exists()
    {
        var copies = Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, copies.Count);
        foreach (var source in copies.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]))
        {
            var path = RepoFiles.InRoot(source);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
        }
        Assert.True(File.Exists(RepoFiles.InRoot("src", "Mesh.Cli", "Mesh.Cli.csproj")));
        Assert.Contains("<AssemblyName>mesh</AssemblyName>", File.ReadAllText(RepoFiles.InRoot("src", "Mesh.Cli", "Mesh.Cli.csproj")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_holds_what_the_manifests_run()
    {
        Assert.Contains($"COPY deploy/sidecar-init.sh {SidecarContainers.InitScript}", Lines);
        Assert.Contains($"COPY deploy/mesh.conf {ControllerArguments.ConfigFile}", Lines);
        Assert.Contains("COPY --from=build /out /opt/mesh", Lines);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/opt/mesh/mesh.dll\"]", Lines);
        Assert.Contains($"USER {new InstallValues().ProxyUid}:{new InstallValues().ProxyUid}", Lines);
        Assert.Contains(Lines, l => l.Contains("install -y --no-install-recommends iptables", StringComparison.Ordinal));
        Assert.Equal(2, Lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal))); // SDK build, ASP.NET runtime
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:", Lines.Last(l => l.StartsWith("FROM ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_config_it_names_parses_and_sets_only_keys_reference_conf_documents()
    {
        var named = ConfigInCmd().Match(string.Join('\n', Lines)).Groups[1].Value;
        Assert.Equal(ControllerArguments.ConfigFile, named);
        var file = RepoFiles.InRoot("deploy", "mesh.conf");
        var reference = Keys(RepoFiles.InRoot("hocon", "reference.conf"));
        var keys = Keys(file);
        Assert.NotEmpty(keys);
        Assert.Empty(keys.Except(reference));
        var config = new ConfigurationBuilder().AddHoconFile(file, optional: false).Build();
        Assert.Equal("0.0.0.0:15000", config["mesh:proxy:admin-address"]);
    }

    private static HashSet<string> Keys(string path) =>
        new ConfigurationBuilder().AddHoconFile(path, optional: false).Build().AsEnumerable()
            .Where(kv => kv.Value is not null).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("""CMD \["run", "--config", "([^"]+)"\]""")]
    private static partial Regex ConfigInCmd();
}
