using Mesh.Cli.Configuration;
using Mesh.Hocon;
using Mesh.Proxy;
using Microsoft.Extensions.Configuration;

namespace Mesh.Cli.Tests;

/// <summary>The layered configuration of the <c>mesh</c> command: reference.conf, a user file, environment, flags.</summary>
[Collection("process state")] // sets process environment variables that every configuration read sees
public class ConfigurationTests
{
    private static readonly Dictionary<string, string?> NoFlags = [];

    private static string Hocon(string name) => Path.Combine(RepoRoot(), "hocon", name);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Mesh.sln not found above " + AppContext.BaseDirectory);
    }

    private static string TempConf(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mesh-cli-test-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void The_all_in_one_example_binds_to_settings_with_the_documented_defaults()
    {
        var settings = MeshSettings.Read(MeshConfiguration.Build(Hocon("all-in-one.conf"), NoFlags).Settings);
        Assert.Equal("curl/curl", settings.Identity.ToString());
        Assert.EndsWith(Path.Combine("examples", "manifests"), settings.Control.ManifestDirectory, StringComparison.Ordinal);
        Assert.Equal("mesh-system/mesh-config", $"{settings.Control.MeshConfigKey.Namespace}/{settings.Control.MeshConfigKey.Name}");
        Assert.Equal(15001, settings.Proxy.OutboundPort);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Proxy.SniffTimeout);
        Assert.Equal(16 * 1024, settings.Proxy.MaxSniffBytes);
        Assert.Equal(256 * 1024, settings.Proxy.MaxPumpBufferSize);
        Assert.Equal(TimeSpan.FromHours(1), settings.Proxy.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Proxy.RevocationDeadline);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Proxy.DnsCacheTtl);
        Assert.True(settings.InlineSocketCompletions);
        Assert.Equal(0, settings.SocketEngineThreads); // auto
        Assert.Equal(TcpTransport.Epoll, settings.Proxy.TcpTransport);
        Assert.Equal(1, settings.Proxy.EpollThreads);
        Assert.Null(settings.Proxy.MaxConnections); // auto: from the open-files limit
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.Control.DebounceMaxDelay);
    }

    [Theory]
    [InlineData("controller.conf")]
    [InlineData("proxy.conf")]
    [InlineData("all-in-one.conf")]
    public void Every_example_file_parses_and_sets_only_keys_that_reference_conf_documents(string file)
    {
        var reference = HoconParser.ParseFile(MeshConfiguration.ReferencePath).EnumerateLeaves().Select(l => l.Path).ToHashSet();
        var unknown = HoconParser.ParseFile(Hocon(file)).EnumerateLeaves().Select(l => l.Path).Where(p => !reference.Contains(p)).ToList();
        Assert.True(unknown.Count == 0, $"{file} sets keys reference.conf does not document: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_shipped_reference_conf_is_the_repository_one()
    {
        Assert.Equal(File.ReadAllText(Hocon("reference.conf")), File.ReadAllText(MeshConfiguration.ReferencePath));
    }

    [Theory]
    [InlineData("mesh.proxy.sniff-timeout = fast", "configuration mesh.proxy.sniff-timeout: 'fast' is not a positive duration")]
    [InlineData("mesh.proxy.max-sniff-bytes = lots", "configuration mesh.proxy.max-sniff-bytes: 'lots' is not a size")]
    [InlineData("mesh.identity = curl", "configuration mesh.identity: identity 'curl' must be NAMESPACE/SERVICEACCOUNT")]
    [InlineData("mesh.proxy.admin-address = here", "configuration mesh.proxy.admin-address: 'here' is not ADDRESS:PORT")]
    [InlineData("mesh.log-level = loud", "configuration mesh.log-level: 'loud' is not trace")]
    [InlineData("mesh.proxy.socket-engine-threads = many", "configuration mesh.proxy.socket-engine-threads: 'many' is not auto or a thread count")]
    [InlineData("mesh.proxy.inline-socket-completions = maybe", "configuration mesh.proxy.inline-socket-completions: 'maybe' is not a boolean")]
    [InlineData("mesh.proxy.revocation-deadline = soon", "configuration mesh.proxy.revocation-deadline: 'soon' is not a positive duration")]
    [InlineData("mesh.proxy.dns-cache-ttl = -1s", "configuration mesh.proxy.dns-cache-ttl: '-1s' is not a duration (e.g. 500ms, 5s) or off")]
    [InlineData("mesh.proxy.tcp-transport = uring", "configuration mesh.proxy.tcp-transport: 'uring' is not epoll or sockets")]
    [InlineData("mesh.proxy.epoll-threads = 0", "configuration mesh.proxy.epoll-threads: '0' is not a thread count from 1 to 64")]
    [InlineData("mesh.proxy.max-connections = 0", "configuration mesh.proxy.max-connections: '0' is not auto or a connection count of 1 or more")]
    [InlineData("mesh.proxy.max-connections = many", "configuration mesh.proxy.max-connections: 'many' is not auto or a connection count of 1 or more")]
    public void A_bad_setting_is_an_error_that_names_its_key(string line, string message)
    {
        var file = TempConf($"mesh.identity = \"a/b\"\nmesh.control.manifests = /tmp\n{line}\n");
        var error = Assert.Throws<SettingsException>(() => MeshSettings.Read(MeshConfiguration.Build(file, NoFlags).Settings));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_connections_takes_a_count()
    {
        var file = TempConf("mesh.identity = \"a/b\"\nmesh.control.manifests = /tmp\nmesh.proxy.max-connections = 500\n");
        Assert.Equal(500, MeshSettings.Read(MeshConfiguration.Build(file, NoFlags).Settings).Proxy.MaxConnections);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("0s")]
    public void The_dns_cache_can_be_turned_off(string value)
    {
        var file = TempConf($"mesh.identity = \"a/b\"\nmesh.control.manifests = /tmp\nmesh.proxy.dns-cache-ttl = {value}\n");
        Assert.Equal(TimeSpan.Zero, MeshSettings.Read(MeshConfiguration.Build(file, NoFlags).Settings).Proxy.DnsCacheTtl);
    }

    [Fact]
    public void Environment_overrides_files_and_flags_override_environment_and_origins_are_known()
    {
        var file = TempConf("mesh {\n  identity = \"a/b\"\n  control.manifests = /tmp\n  proxy.sniff-timeout = 3s\n}\n");
        var flags = new Dictionary<string, string?> { ["mesh:proxy:outbound-port"] = "16001" };
        Environment.SetEnvironmentVariable("MESH__PROXY__CONNECT_TIMEOUT", "2s");
        Environment.SetEnvironmentVariable("MESH__PROXY__OUTBOUND_PORT", "17001");
        try
        {
            var config = MeshConfiguration.Build(file, flags).Settings;
            var settings = MeshSettings.Read(config);
            Assert.Equal(TimeSpan.FromSeconds(3), settings.Proxy.SniffTimeout);   // file over reference
            Assert.Equal(TimeSpan.FromSeconds(2), settings.Proxy.ConnectTimeout); // environment over reference
            Assert.Equal(16001, settings.Proxy.OutboundPort);                     // flag over environment
            Assert.True(config.TryGetValueOrigin("mesh:proxy:sniff-timeout", out var origin));
            Assert.Equal($"{file}:4", $"{origin!.File}:{origin.Line}");
            Assert.True(config.TryGetValueOrigin("mesh:proxy:idle-timeout", out var fromReference));
            Assert.Equal(MeshConfiguration.ReferencePath, fromReference!.File);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESH__PROXY__CONNECT_TIMEOUT", null);
            Environment.SetEnvironmentVariable("MESH__PROXY__OUTBOUND_PORT", null);
        }
    }

    [Fact]
    public void An_unknown_key_under_mesh_is_an_error_naming_the_key_the_file_and_the_line()
    {
        var file = TempConf("mesh {\n  identity = \"a/b\"\n  proxy {\n    snif-timeout = 3s\n  }\n}\n");

        var error = Assert.Throws<SettingsException>(() => MeshConfiguration.Build(file, NoFlags));

        Assert.StartsWith("configuration mesh.proxy.snif-timeout: unknown key", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{file}:4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_mesh_environment_variable_is_an_error_naming_the_variable()
    {
        Environment.SetEnvironmentVariable("MESH__PROXY__SNIF_TIMEOUT", "3s");
        try
        {
            var error = Assert.Throws<SettingsException>(() => MeshConfiguration.Build(null, NoFlags));
            Assert.Contains("mesh.proxy.snif-timeout", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("MESH__PROXY__SNIF_TIMEOUT", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESH__PROXY__SNIF_TIMEOUT", null);
        }
    }

    [Fact]
    public void A_user_file_may_refer_to_keys_of_reference_conf()
    {
        var file = TempConf("mesh.identity = \"a/b\"\nmesh.control.manifests = /tmp\nmesh.proxy.connect-timeout = ${mesh.proxy.revocation-deadline}\n");

        var settings = MeshSettings.Read(MeshConfiguration.Build(file, NoFlags).Settings);

        Assert.Equal(TimeSpan.FromSeconds(1), settings.Proxy.ConnectTimeout); // reference.conf's revocation-deadline
    }

    [Fact]
    public void Akka_receives_the_akka_section_resolved_by_mesh_hocon_with_what_its_own_parser_gets_wrong()
    {
        Environment.SetEnvironmentVariable("MESH_CLI_TEST_AKKA_HOST", "10.1.2.3");
        try
        {
            var file = TempConf("""
                akka {
                  loglevel = DEBUG
                  remote.dot-netty.tcp.hostname = ${?MESH_CLI_TEST_AKKA_HOST}
                  cluster.roles = [a]
                  cluster.roles += b
                  ask-timeout = ${akka.test-base}
                  test-base = 7s
                }
                """);
            var configuration = MeshConfiguration.Build(file, NoFlags);

            var akka = Akka.Configuration.ConfigurationFactory.ParseString(configuration.AkkaHocon);

            Assert.Equal("DEBUG", akka.GetString("akka.loglevel"));
            Assert.Equal("10.1.2.3", akka.GetString("akka.remote.dot-netty.tcp.hostname"));
            Assert.Equal(["a", "b"], akka.GetStringList("akka.cluster.roles"));
            Assert.Equal(TimeSpan.FromSeconds(7), akka.GetTimeSpan("akka.ask-timeout"));
            Assert.Equal("off", akka.GetString("akka.coordinated-shutdown.run-by-clr-shutdown-hook")); // from reference.conf
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESH_CLI_TEST_AKKA_HOST", null);
        }
    }

    [Fact]
    public void Akka_keys_are_listed_with_their_origins_like_mesh_keys()
    {
        var file = TempConf("akka.loglevel = WARNING\n");

        var settings = MeshConfiguration.Build(file, NoFlags).Settings;

        Assert.Equal("WARNING", settings["akka:loglevel"]);
        Assert.True(settings.TryGetValueOrigin("akka:loglevel", out var origin));
        Assert.Equal($"{file}:1", $"{origin!.File}:{origin.Line}");
        Assert.True(settings.TryGetValueOrigin("akka:log-dead-letters-during-shutdown", out var fromReference));
        Assert.Equal(MeshConfiguration.ReferencePath, fromReference!.File);
    }
}
