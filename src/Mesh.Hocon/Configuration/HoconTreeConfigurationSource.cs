using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Mesh.Hocon;

/// <summary>
/// An already resolved HOCON tree as a configuration source, e.g. several files parsed and resolved together so that
/// one may refer to keys of another (<see cref="HoconParser.ParseFiles"/>). Keys and origins as the file provider's.
/// </summary>
public sealed class HoconTreeConfigurationSource(HoconObject root, string description) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new HoconTreeConfigurationProvider(root, description);
}

/// <summary>The provider of <see cref="HoconTreeConfigurationSource"/>; it remembers where each key's value was written.</summary>
public sealed class HoconTreeConfigurationProvider : ConfigurationProvider, IHoconOriginProvider
{
    private readonly Dictionary<string, HoconOrigin> _origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _description;

    public HoconTreeConfigurationProvider(HoconObject root, string description)
    {
        ArgumentNullException.ThrowIfNull(root);
        _description = description;
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        ConfigurationFlattener.Flatten(root, data, _origins);
        Data = data;
    }

    public bool TryGetOrigin(string key, [NotNullWhen(true)] out HoconOrigin? origin) => _origins.TryGetValue(key, out origin);

    public override string ToString() => _description;
}

/// <summary>A configuration provider that knows where (file:line:column) each of its values was written.</summary>
public interface IHoconOriginProvider
{
    bool TryGetOrigin(string key, [NotNullWhen(true)] out HoconOrigin? origin);
}
