using System.Globalization;
using System.Text;
using Mesh.Hocon;
using Microsoft.Extensions.Configuration;

namespace Mesh.Cli.Configuration;

/// <summary>
/// The layered configuration every command reads: the shipped reference.conf and the user's HOCON file, parsed and
/// resolved together (so the user's file may refer to keys of reference.conf), then <c>MESH__</c> environment
/// variables, then command-line flags. One file holds <c>mesh { }</c> and <c>akka { }</c>: Mesh reads the first as
/// settings, and Akka receives the second resolved by Mesh.Hocon (<see cref="AkkaHocon"/>), never by its own parser.
/// A key under <c>mesh</c> that reference.conf does not define is an error naming the key and where it was written:
/// a typo must not be silently ignored.
/// </summary>
internal sealed class MeshConfiguration
{
    private MeshConfiguration(IConfigurationRoot settings, string akkaHocon)
    {
        Settings = settings;
        AkkaHocon = akkaHocon;
    }

    public static string ReferencePath => Path.Combine(AppContext.BaseDirectory, "reference.conf");

    /// <summary>Every key (mesh and akka), with the origin of its value (<see cref="HoconConfigurationExtensions.TryGetValueOrigin"/>).</summary>
    public IConfigurationRoot Settings { get; }

    /// <summary>The effective <c>akka</c> section as HOCON text, flags applied, for Akka's configuration.</summary>
    public string AkkaHocon { get; }

    /// <exception cref="SettingsException">An unknown key under <c>mesh</c>.</exception>
    /// <exception cref="HoconException">A file does not parse or does not resolve (with file, line and column).</exception>
    public static MeshConfiguration Build(string? configFile, IReadOnlyDictionary<string, string?> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var reference = HoconParser.ParseFile(ReferencePath);
        var files = configFile is null ? reference : HoconParser.ParseFiles([ReferencePath, Path.GetFullPath(configFile)]);
        var known = reference.GetObject("mesh").EnumerateLeaves().Select(l => "mesh." + l.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var leaf in files.GetObject("mesh").EnumerateLeaves().Where(l => !known.Contains("mesh." + l.Path)))
        {
            throw new SettingsException($"mesh.{leaf.Path}", $"unknown key (written at {leaf.Origin}); reference.conf documents every setting");
        }

        var builder = new ConfigurationBuilder().AddHoconTree(files, configFile is null ? ReferencePath : $"{ReferencePath} + {configFile}");
        var environment = new PrefixedEnvironmentSource(new ConfigurationBuilder().AddEnvironmentVariables("MESH__").Sources[0]);
        builder.Add(environment);
        builder.AddInMemoryCollection(flags.Where(f => f.Value is not null));
        var settings = builder.Build();
        var knownIgnoringCase = known.ToHashSet(StringComparer.OrdinalIgnoreCase); // environment variable names have no case
        foreach (var key in settings.Providers.OfType<PrefixedEnvironmentSource.Provider>().SelectMany(p => p.LeafKeys()))
        {
            var path = key.Replace(':', '.');
            if (!knownIgnoringCase.Contains(path))
            {
                throw new SettingsException(path, $"unknown key (from environment variable {PrefixedEnvironmentSource.VariableOf(key)})");
            }
        }
        return new MeshConfiguration(settings, RenderAkka(files, flags));
    }

    /// <summary>The files' <c>akka</c> tree, then the flags that set akka keys (later lines win in HOCON).</summary>
    private static string RenderAkka(HoconObject files, IReadOnlyDictionary<string, string?> flags)
    {
        var text = new StringBuilder();
        if (files.TryGetValue("akka", out var akka)) text.Append("akka = ").AppendLine(HoconRenderer.Render(akka));
        foreach (var (key, value) in flags.Where(f => f.Value is not null && f.Key.StartsWith("akka:", StringComparison.Ordinal)))
        {
            text.Append(CultureInfo.InvariantCulture, $"{key.Replace(':', '.')} = {HoconRenderer.Quote(value!)}\n");
        }
        return text.ToString();
    }

    /// <summary>Maps <c>MESH__PROXY__SNIFF_TIMEOUT</c> to <c>mesh:proxy:sniff-timeout</c>.</summary>
    private sealed class PrefixedEnvironmentSource(IConfigurationSource inner) : IConfigurationSource
    {
        public static string VariableOf(string key) =>
            "MESH__" + key["mesh:".Length..].Replace(':', '_').Replace("_", "__", StringComparison.Ordinal).Replace('-', '_').ToUpperInvariant();

        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(inner.Build(builder));

        internal sealed class Provider(IConfigurationProvider inner) : ConfigurationProvider
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

            public IEnumerable<string> LeafKeys() => Data.Where(kv => kv.Value is not null).Select(kv => kv.Key);

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
