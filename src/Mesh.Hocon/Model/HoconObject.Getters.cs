using System.Diagnostics.CodeAnalysis;

namespace Mesh.Hocon;

/// <summary>Path-based typed getters.</summary>
public sealed partial class HoconObject
{
    /// <summary>
    /// True when the path exists and is not null (a null value counts as "not set", as in the
    /// reference implementation, so that <c>key = null</c> can switch a default off).
    /// </summary>
    public bool HasPath(string path) => TryGetPath(path, out var value) && !value.IsNull;

    /// <summary>Looks up a path; a null value is returned as a value of type Null.</summary>
    public bool TryGetPath(string path, [NotNullWhen(true)] out HoconValue? value)
    {
        var keys = HoconPath.Parse(path);
        HoconValue current = this;
        foreach (var key in keys)
        {
            if (current is not HoconObject obj || !obj._fields.TryGetValue(key, out var next))
            {
                value = null;
                return false;
            }

            current = next;
        }

        value = current;
        return true;
    }

    /// <summary>The value at a path; throws when it is missing.</summary>
    public HoconValue GetValue(string path)
    {
        if (TryGetPath(path, out var value))
        {
            return value;
        }

        throw new HoconException($"no configuration setting found for path '{path}'", Origin);
    }

    public string GetString(string path) => ValueConversion.ToText(GetValue(path), path);

    public int GetInt(string path) => ValueConversion.ToInt(GetValue(path), path);

    public long GetLong(string path) => ValueConversion.ToLong(GetValue(path), path);

    public double GetDouble(string path) => ValueConversion.ToDouble(GetValue(path), path);

    public bool GetBoolean(string path) => ValueConversion.ToBoolean(GetValue(path), path);

    /// <summary>A duration such as <c>5s</c> or <c>100 ms</c>; a bare number means milliseconds.</summary>
    public TimeSpan GetDuration(string path) => ValueConversion.ToDuration(GetValue(path), path);

    /// <summary>A size such as <c>64KiB</c> or <c>1 MB</c>; a bare number means bytes.</summary>
    public long GetBytes(string path) => ValueConversion.ToBytes(GetValue(path), path);

    /// <summary>A list; an object whose keys are integers converts to a list ordered by key.</summary>
    public IReadOnlyList<HoconValue> GetList(string path) => ValueConversion.ToList(GetValue(path), path);

    public IReadOnlyList<string> GetStringList(string path) =>
        [.. GetList(path).Select((item, index) => ValueConversion.ToText(item, $"{path}[{index}]"))];

    public HoconObject GetObject(string path) => ValueConversion.ToObject(GetValue(path), path);
}
