using Mesh.Hocon;
using Microsoft.Extensions.Configuration;

namespace Mesh.Cli.Configuration;

/// <summary>
/// Builds the layered configuration every command reads: the shipped reference.conf, then the user's HOCON file,
/// then <c>MESH__</c> environment variables, then command-line flags (added by the caller as an in-memory layer).
/// </summary>
internal static class MeshConfiguration
{
    public static string ReferencePath => Path.Combine(AppContext.BaseDirectory, "reference.conf");

    public static IConfigurationRoot Build(string? configFile, IReadOnlyDictionary<string, string?> flags)
    {
        var builder = new ConfigurationBuilder().AddHoconFile(ReferencePath, optional: false);
        if (configFile is not null) builder.AddHoconFile(Path.GetFullPath(configFile), optional: false);
        builder.AddEnvironmentVariables("MESH__");
        var env = builder.Sources[^1];
        builder.Sources.RemoveAt(builder.Sources.Count - 1);
        builder.Add(new PrefixedEnvironmentSource(env));
        builder.AddInMemoryCollection(flags.Where(f => f.Value is not null));
        return builder.Build();
    }

    /// <summary>Maps <c>MESH__PROXY__SNIFF_TIMEOUT</c> to <c>mesh:proxy:sniff-timeout</c>.</summary>
    private sealed class PrefixedEnvironmentSource(IConfigurationSource inner) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(inner.Build(builder));

        private sealed class Provider(IConfigurationProvider inner) : ConfigurationProvider
        {
            public override void Load()
            {
                inner.Load();
                Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                foreach (var key in Keys(inner, null))
                {
                    if (inner.TryGet(key, out var value)) Data["mesh:" + key.Replace('_', '-')] = value;
                }
            }

            private static IEnumerable<string> Keys(IConfigurationProvider provider, string? parent)
            {
                foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    var path = parent is null ? child : $"{parent}:{child}";
                    yield return path;
                    foreach (var nested in Keys(provider, path)) yield return nested;
                }
            }

            public override string ToString() => "environment (MESH__*)";
        }
    }
}
