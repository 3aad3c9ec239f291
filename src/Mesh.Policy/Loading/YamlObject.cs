using System.Globalization;
using Mesh.Policy.Model;
using YamlDotNet.RepresentationModel;

namespace Mesh.Policy.Loading;

/// <summary>
/// Reads one mapping of a manifest with the field path kept alongside, so that every problem is reported as
/// file:line, object, field. Problems are collected, not thrown: one object's errors are all reported at once.
/// </summary>
internal sealed class YamlObject
{
    private readonly YamlMappingNode? _node;
    private readonly ObjectErrors _errors;

    public YamlObject(YamlMappingNode? node, string path, ObjectErrors errors)
    {
        _node = node;
        Path = path;
        _errors = errors;
    }

    public string Path { get; }

    public bool Exists => _node is not null;

    public int Line => _node is null ? 0 : (int)_node.Start.Line;

    public YamlNode? Raw(string field)
    {
        if (_node is null) return null;
        foreach (var (key, value) in _node.Children)
        {
            if (key is YamlScalarNode { Value: { } k } && k == field)
            {
                return IsNull(value) ? null : value;
            }
        }
        return null;
    }

    public string Child(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    public YamlObject Object(string field)
    {
        var raw = Raw(field);
        if (raw is null or YamlMappingNode) return new YamlObject(raw as YamlMappingNode, Child(field), _errors);
        _errors.Add(Child(field), "must be an object", raw);
        return new YamlObject(null, Child(field), _errors);
    }

    public string? String(string field, bool required = false)
    {
        var raw = Raw(field);
        if (raw is YamlScalarNode s) return s.Value;
        if (raw is null)
        {
            if (required) _errors.Add(Child(field), "is required", _node);
            return null;
        }
        _errors.Add(Child(field), "must be a string", raw);
        return null;
    }

    public bool? Boolean(string field)
    {
        var raw = Raw(field);
        if (raw is null) return null;
        if (raw is YamlScalarNode { Value: { } v } && bool.TryParse(v, out var b)) return b;
        _errors.Add(Child(field), "must be true or false", raw);
        return null;
    }

    public int? Integer(string field, bool required = false)
    {
        var raw = Raw(field);
        if (raw is null)
        {
            if (required) _errors.Add(Child(field), "is required", _node);
            return null;
        }
        if (raw is YamlScalarNode { Value: { } v } &&
            int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }
        _errors.Add(Child(field), "must be an integer", raw);
        return null;
    }

    /// <summary>The items of a sequence field; an absent or null field is an empty list.</summary>
    public IReadOnlyList<(YamlNode Node, string Path)> Sequence(string field, bool required = false)
    {
        var raw = Raw(field);
        if (raw is YamlSequenceNode seq)
        {
            if (required && seq.Children.Count == 0) _errors.Add(Child(field), "must not be empty", raw);
            return seq.Children.Select((n, i) => (n, $"{Child(field)}[{i}]")).ToList();
        }
        if (raw is null)
        {
            if (required) _errors.Add(Child(field), "is required", _node);
            return [];
        }
        _errors.Add(Child(field), "must be a list", raw);
        return [];
    }

    /// <summary>The entries of a string-to-string map field.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> StringMap(string field)
    {
        var raw = Raw(field);
        if (raw is null) return [];
        if (raw is not YamlMappingNode map)
        {
            _errors.Add(Child(field), "must be a map of strings", raw);
            return [];
        }
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: { } key } && v is YamlScalarNode { Value: { } value })
            {
                result.Add(new(key, value));
            }
            else
            {
                _errors.Add($"{Child(field)}.{(k as YamlScalarNode)?.Value}", "must be a string", v);
            }
        }
        return result;
    }

    public YamlObject AsObject(YamlNode node, string path)
    {
        if (node is YamlMappingNode m) return new YamlObject(m, path, _errors);
        _errors.Add(path, "must be an object", node);
        return new YamlObject(null, path, _errors);
    }

    public string? AsString(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } v } && !IsNull(node)) return v;
        _errors.Add(path, "must be a string", node);
        return null;
    }

    public void Error(string path, string message, YamlNode? at = null) => _errors.Add(path, message, at ?? _node);

    /// <summary>Reports a problem with one field of this object, at the line of its value.</summary>
    public void FieldError(string field, string message) => _errors.Add(Child(field), message, Raw(field) ?? _node);

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } s &&
        (s.Value is null or "" or "~" or "null" or "Null" or "NULL");
}

/// <summary>The errors of one object, each with the line it was found at.</summary>
internal sealed class ObjectErrors(string origin)
{
    private readonly List<(string Path, string Message, int Line)> _items = [];

    public int Count => _items.Count;

    public void Add(string path, string message, YamlNode? at) =>
        _items.Add((path, message, at is null ? 0 : (int)at.Start.Line));

    public IEnumerable<ValidationError> ToErrors(ResourceKey? key, int fallbackLine) =>
        _items.Select(e => new ValidationError(new SourceLocation(origin, e.Line > 0 ? e.Line : fallbackLine), key, e.Path, e.Message));
}
