using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Mesh.Hocon;

/// <summary>Registration of HOCON files with <see cref="IConfigurationBuilder"/>.</summary>
public static class HoconConfigurationExtensions
{
    /// <summary>
    /// Adds a HOCON file. Add environment variables and command-line arguments after it so that they
    /// override the file: <c>builder.AddHoconFile("mesh.conf").AddEnvironmentVariables("MESH_").AddCommandLine(args)</c>.
    /// </summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional = false, bool reloadOnChange = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.AddHoconFile(source =>
        {
            source.Path = path;
            source.Optional = optional;
            source.ReloadOnChange = reloadOnChange;
            // An absolute path gets a file provider for its own directory (same as the JSON provider).
            source.ResolveFileProvider();
        });
    }

    /// <summary>Adds a tree already parsed and resolved (several files resolved together, say).</summary>
    public static IConfigurationBuilder AddHoconTree(this IConfigurationBuilder builder, HoconObject root, string description)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HoconTreeConfigurationSource(root, description));
    }

    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, Action<HoconConfigurationSource> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(configure);
    }

    /// <summary>
    /// Where the effective value of <paramref name="key"/> comes from: the file position when a HOCON
    /// file supplies it, otherwise the name of the provider that does (environment, command line…).
    /// Returns false when no provider has the key.
    /// </summary>
    public static bool TryGetValueOrigin(this IConfigurationRoot root, string key, [NotNullWhen(true)] out HoconOrigin? origin)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out _))
            {
                continue;
            }

            if (provider is IHoconOriginProvider hocon && hocon.TryGetOrigin(key, out origin))
            {
                return true;
            }

            origin = new HoconOrigin(provider.ToString(), 0, 0);
            return true;
        }

        origin = null;
        return false;
    }
}
