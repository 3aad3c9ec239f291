using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Mesh.Hocon;

/// <summary>
/// Loads a HOCON file into configuration keys: paths join with ':' (<c>a.b</c> becomes <c>a:b</c>),
/// list elements get index keys <c>0</c>, <c>1</c>, …, every scalar becomes its text (durations and
/// sizes stay strings; see <see cref="HoconDuration"/> and <see cref="HoconSize"/>), and null, empty
/// objects and empty lists become null values. It remembers where each key's value was written.
/// </summary>
public sealed class HoconConfigurationProvider : FileConfigurationProvider, IHoconOriginProvider
{
    private Dictionary<string, HoconOrigin> _origins = new(StringComparer.OrdinalIgnoreCase);

    public HoconConfigurationProvider(HoconConfigurationSource source)
        : base(source)
    {
        HoconSource = source;
    }

    private HoconConfigurationSource HoconSource { get; }

    /// <summary>The origin (file:line:column) of every key this provider supplies.</summary>
    public IReadOnlyDictionary<string, HoconOrigin> Origins => _origins;

    /// <summary>Where the value of a configuration key (':'-separated) was written.</summary>
    public bool TryGetOrigin(string key, [NotNullWhen(true)] out HoconOrigin? origin) => _origins.TryGetValue(key, out origin);

    public override void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        var text = reader.ReadToEnd();
        var physicalPath = HoconSource.Path is null ? null : HoconSource.FileProvider?.GetFileInfo(HoconSource.Path).PhysicalPath;
        var originName = physicalPath ?? HoconSource.Path;
        var parseOptions = physicalPath is null
            ? HoconSource.ParseOptions
            : new HoconParseOptions
            {
                BaseDirectory = Path.GetDirectoryName(physicalPath),
                ResourceRoots = HoconSource.ParseOptions.ResourceRoots,
                WorkingDirectory = HoconSource.ParseOptions.WorkingDirectory,
            };
        var syntax = originName is null ? ConfigSyntax.Hocon : DocumentLoader.SyntaxOf(originName);
        var raw = DocumentLoader.ParseText(text, originName, syntax, new IncludeLoader(parseOptions, null, 0), IncludeScope.Root);
        var root = Resolver.Resolve(raw, HoconSource.ResolveOptions);

        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var origins = new Dictionary<string, HoconOrigin>(StringComparer.OrdinalIgnoreCase);
        ConfigurationFlattener.Flatten(root, data, origins);
        Data = data;
        _origins = origins;
    }
}
