using System.Collections;

namespace Mesh.Hocon;

/// <summary>
/// The spec's environment-variable fallback for substitutions not found in the configuration.
/// <c>${a.b}</c> looks for the variable named <c>a.b</c>; variables named <c>a.b.0</c>, <c>a.b.1</c>
/// also make <c>${a.b}</c> an object (which converts to a list where one is wanted).
/// Values are always strings.
/// </summary>
internal sealed class EnvironmentLookup(IReadOnlyDictionary<string, string> variables)
{
    public static EnvironmentLookup? From(HoconResolveOptions options)
    {
        if (!options.UseEnvironment)
        {
            return null;
        }

        if (options.Environment is not null)
        {
            return new EnvironmentLookup(options.Environment);
        }

        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            snapshot[(string)entry.Key] = entry.Value as string ?? "";
        }

        return new EnvironmentLookup(snapshot);
    }

    public HoconValue? Lookup(IReadOnlyList<string> path)
    {
        var name = string.Join('.', path);
        if (variables.TryGetValue(name, out var value))
        {
            return HoconScalar.String(value, OriginOf(name));
        }

        var prefix = name + ".";
        var nested = variables.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (nested.Count == 0)
        {
            return null;
        }

        var root = new RawObject(OriginOf(name));
        foreach (var (key, text) in nested.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var keys = key[prefix.Length..].Split('.');
            var current = root;
            foreach (var part in keys[..^1])
            {
                if (!current.Fields.TryGetValue(part, out var child) || child is not RawObject childObject)
                {
                    childObject = new RawObject(OriginOf(key));
                    current.Fields[part] = childObject;
                }

                current = childObject;
            }

            if (!current.Fields.TryGetValue(keys[^1], out var existing) || existing is not RawObject)
            {
                current.Fields[keys[^1]] = new RawScalar(HoconValueType.String, text, OriginOf(key));
            }
        }

        return ToValue(root);
    }

    private static HoconValue ToValue(RawValue raw) => raw switch
    {
        RawObject obj => new HoconObject(
            new OrderedDictionary<string, HoconValue>(obj.Fields.Select(f => KeyValuePair.Create(f.Key, ToValue(f.Value))), StringComparer.Ordinal),
            obj.Origin),
        RawScalar scalar => scalar.ToValue(),
        _ => throw new InvalidOperationException("environment values are only objects and strings"),
    };

    private static HoconOrigin OriginOf(string name) => new($"environment variable {name}", 0, 0);
}
