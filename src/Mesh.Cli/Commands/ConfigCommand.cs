using System.CommandLine;
using Mesh.Cli.Configuration;
using Mesh.Hocon;
using Microsoft.Extensions.Configuration;

namespace Mesh.Cli.Commands;

/// <summary><c>mesh config show</c>: the effective configuration, each value with where it came from.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var show = new Command("show", "Print the effective configuration and the origin of every value");
        var options = new CommonOptions(show);
        show.SetAction(parse =>
        {
            var flags = options.Read(parse);
            IConfigurationRoot config;
            try
            {
                config = MeshConfiguration.Build(flags.ConfigFile, flags.Overrides).Settings;
            }
            catch (Exception e) when (e is SettingsException or InvalidDataException or FileNotFoundException or HoconException)
            {
                Console.Error.WriteLine($"mesh config show: {e.Message}");
                return 2;
            }
            foreach (var (key, value) in config.AsEnumerable().Where(kv => kv.Value is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var origin = config.TryGetValueOrigin(key, out var o) && o is not null ? o.ToString() : "command line";
                Console.WriteLine($"{key.Replace(':', '.')} = {value}    # {origin}");
            }
            return 0;
        });
        return new Command("config", "Inspect configuration") { show };
    }
}
