namespace Mesh.Hocon;

/// <summary>Maps a resolved tree to Microsoft.Extensions.Configuration keys, the way the JSON provider does.</summary>
internal static class ConfigurationFlattener
{
    public static void Flatten(HoconObject root, IDictionary<string, string?> data, IDictionary<string, HoconOrigin> origins)
    {
        foreach (var (key, value) in root)
        {
            Visit(key, value, data, origins);
        }
    }

    private static void Visit(string key, HoconValue value, IDictionary<string, string?> data, IDictionary<string, HoconOrigin> origins)
    {
        switch (value)
        {
            case HoconObject { Count: > 0 } obj:
                foreach (var (childKey, child) in obj)
                {
                    Visit(key + ConfigurationDelimiter + childKey, child, data, origins);
                }

                break;
            case HoconList { Count: > 0 } list:
                for (var i = 0; i < list.Count; i++)
                {
                    Visit(key + ConfigurationDelimiter + i.ToString(System.Globalization.CultureInfo.InvariantCulture), list[i], data, origins);
                }

                break;
            case HoconScalar { Type: not HoconValueType.Null } scalar:
                data[key] = scalar.Text;
                origins[key] = value.Origin;
                break;
            default:
                data[key] = null;
                origins[key] = value.Origin;
                break;
        }
    }

    private const string ConfigurationDelimiter = ":";
}
