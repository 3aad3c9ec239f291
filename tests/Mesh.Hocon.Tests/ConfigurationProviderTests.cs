using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mesh.Hocon.Tests;

/// <summary>The Microsoft.Extensions.Configuration source: keys, binding, layering and origins.</summary>
public sealed class ConfigurationProviderTests : IDisposable
{
    private const string MeshConf = """
        mesh {
          listen = "0.0.0.0:8443"
          timeouts { connect = 5s, idle = 2 minutes }
          max-body = 64KiB
          upstreams = [ "a.internal", "b.internal" ]
          routes = [ { host = a, weight = 1 }, { host = b, weight = ${mesh.default-weight} } ]
          default-weight = 3
          debug = false
          nothing = null
          empty-list = []
        }
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private IConfigurationRoot Build(string content, Action<IConfigurationBuilder>? more = null)
    {
        var path = _dir.Write("mesh.conf", content);
        var builder = new ConfigurationBuilder().AddHoconFile(path);
        more?.Invoke(builder);
        return builder.Build();
    }

    [Fact]
    public void Paths_become_colon_keys_and_lists_become_index_keys()
    {
        var config = Build(MeshConf);
        Assert.Equal("0.0.0.0:8443", config["mesh:listen"]);
        Assert.Equal("5s", config["mesh:timeouts:connect"]);
        Assert.Equal("b.internal", config["mesh:upstreams:1"]);
        Assert.Equal("3", config["mesh:routes:1:weight"]);
        Assert.Equal("false", config["mesh:debug"]);
        Assert.Null(config["mesh:nothing"]);
        Assert.Null(config["mesh:empty-list"]);
    }

    [Fact]
    public void Sections_bind_to_options_classes()
    {
        var config = Build(MeshConf);
        var services = new ServiceCollection().Configure<MeshOptions>(config.GetSection("mesh")).BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<MeshOptions>>().Value;
        Assert.Equal("0.0.0.0:8443", options.Listen);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeouts.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), HoconDuration.Parse(options.Timeouts.Idle));
        Assert.Equal(65536, options.MaxBodyBytes);
        Assert.Equal(["a.internal", "b.internal"], options.Upstreams);
        Assert.Equal([1, 3], options.Routes.Select(r => r.Weight));
        Assert.False(options.Debug);
    }

    [Fact]
    public void Environment_and_command_line_override_the_file_in_order()
    {
        var variable = "MESHTEST_" + Guid.NewGuid().ToString("N")[..8] + "_";
        Environment.SetEnvironmentVariable(variable + "mesh__listen", "env:1");
        Environment.SetEnvironmentVariable(variable + "mesh__default-weight", "7");
        try
        {
            var config = Build(MeshConf, b => b.AddEnvironmentVariables(variable).AddCommandLine(["--mesh:default-weight=9"]));
            Assert.Equal("env:1", config["mesh:listen"]);
            Assert.Equal("9", config["mesh:default-weight"]);
            Assert.Equal("5s", config["mesh:timeouts:connect"]);

            Assert.True(config.TryGetValueOrigin("mesh:timeouts:connect", out var fileOrigin));
            Assert.Equal(3, fileOrigin.Line);
            Assert.EndsWith("mesh.conf", fileOrigin.File, StringComparison.Ordinal);
            Assert.True(config.TryGetValueOrigin("mesh:listen", out var envOrigin));
            Assert.Contains("EnvironmentVariables", envOrigin.ToString(), StringComparison.Ordinal);
            Assert.True(config.TryGetValueOrigin("mesh:default-weight", out var cliOrigin));
            Assert.Contains("CommandLine", cliOrigin.ToString(), StringComparison.Ordinal);
            Assert.False(config.TryGetValueOrigin("mesh:absent", out _));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable + "mesh__listen", null);
            Environment.SetEnvironmentVariable(variable + "mesh__default-weight", null);
        }
    }

    [Fact]
    public void The_provider_remembers_file_and_line_of_every_key()
    {
        var config = Build(MeshConf);
        var provider = Assert.Single(config.Providers.OfType<HoconConfigurationProvider>());
        Assert.True(provider.TryGetOrigin("MESH:UPSTREAMS:0", out var origin));
        Assert.Equal((5, 17), (origin.Line, origin.Column));
        // A value that came through a substitution reports where the value itself was written.
        Assert.Contains(provider.Origins, pair => pair.Key == "mesh:routes:0:weight" && pair.Value.Line == 6);
        Assert.Contains(provider.Origins, pair => pair.Key == "mesh:routes:1:weight" && pair.Value.Line == 7);
        Assert.False(provider.TryGetOrigin("mesh:absent", out _));
    }

    [Fact]
    public void Missing_files_fail_unless_optional()
    {
        var path = Path.Combine(_dir.Path, "absent.conf");
        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddHoconFile(path).Build());
        Assert.Empty(new ConfigurationBuilder().AddHoconFile(path, optional: true).Build().AsEnumerable());
    }

    [Fact]
    public void Syntax_errors_surface_with_their_location()
    {
        var path = _dir.Write("broken.conf", "a = 1\nb = [");
        var error = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddHoconFile(path).Build());
        var hocon = Assert.IsType<HoconException>(error.InnerException);
        Assert.Equal(2, hocon.Line);
    }

    [Fact]
    public void Includes_are_relative_to_the_configured_file()
    {
        _dir.Write("conf.d/common.conf", "shared = yes");
        var config = Build("include \"conf.d/common.conf\"\nown = 1");
        Assert.Equal("yes", config["shared"]);
    }

    [Fact]
    public void Reload_picks_up_changes()
    {
        var path = _dir.Write("mesh.conf", "a = 1");
        var config = new ConfigurationBuilder().AddHoconFile(path).Build();
        File.WriteAllText(path, "a = 2");
        config.Reload();
        Assert.Equal("2", config["a"]);
    }

    internal sealed class MeshOptions
    {
        public string Listen { get; set; } = "";

        public TimeoutOptions Timeouts { get; set; } = new();

        [ConfigurationKeyName("max-body")]
        public string MaxBody { get; set; } = "0";

        public long MaxBodyBytes => HoconSize.Parse(MaxBody);

        public List<string> Upstreams { get; set; } = [];

        public List<RouteOptions> Routes { get; set; } = [];

        public bool Debug { get; set; } = true;
    }

    internal sealed class TimeoutOptions
    {
        public string Connect { get; set; } = "1s";

        public string Idle { get; set; } = "1m";

        public TimeSpan ConnectTimeout => HoconDuration.Parse(Connect);
    }

    internal sealed class RouteOptions
    {
        public string Host { get; set; } = "";

        public int Weight { get; set; }
    }
}
