using Microsoft.Extensions.Configuration;

namespace Mesh.Hocon;

/// <summary>A HOCON file as a <see cref="IConfigurationSource"/>; see <see cref="HoconConfigurationExtensions.AddHoconFile(IConfigurationBuilder, string, bool, bool)"/>.</summary>
public sealed class HoconConfigurationSource : FileConfigurationSource
{
    /// <summary>How substitutions resolve; by default with the process environment as fallback.</summary>
    public HoconResolveOptions ResolveOptions { get; set; } = HoconResolveOptions.Default;

    /// <summary>Where includes are looked for (heuristic includes are always relative to the file itself).</summary>
    public HoconParseOptions ParseOptions { get; set; } = HoconParseOptions.Default;

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new HoconConfigurationProvider(this);
    }
}
