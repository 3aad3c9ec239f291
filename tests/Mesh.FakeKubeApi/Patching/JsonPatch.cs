using System.Globalization;
using System.Text.Json.Nodes;

namespace Mesh.FakeKubeApi.Patching;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy, test; JSON pointers per RFC 6901.</summary>
public static class JsonPatch
{
    /// <exception cref="ApiException">422 for an operation that cannot be applied (path missing, test failed).</exception>
    public static JsonNode Apply(JsonNode target, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(operations);
        var doc = target.DeepClone();
        foreach (var op in operations)
        {
            if (op is not JsonObject o) throw Invalid("each operation must be an object");
            var path = (string?)o["path"] ?? throw Invalid("an operation needs a path");
            switch ((string?)o["op"])
            {
                case "add":
                    doc = Add(doc, path, o["value"]?.DeepClone());
                    break;
                case "remove":
                    doc = Remove(doc, path, out _);
                    break;
                case "replace":
                    doc = Remove(doc, path, out _);
                    doc = Add(doc, path, o["value"]?.DeepClone());
                    break;
                case "move":
                    var from = (string?)o["from"] ?? throw Invalid("move needs from");
                    doc = Remove(doc, from, out var moved);
                    doc = Add(doc, path, moved);
                    break;
                case "copy":
                    var source = (string?)o["from"] ?? throw Invalid("copy needs from");
                    doc = Add(doc, path, Get(doc, source)?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), o["value"])) throw Invalid($"test failed at {path}");
                    break;
                default:
                    throw Invalid($"unknown operation {(string?)o["op"]}");
            }
        }
        return doc;
    }

    private static JsonNode? Get(JsonNode doc, string path)
    {
        JsonNode? node = doc;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var v) => v,
                JsonArray arr when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < arr.Count => arr[i],
                _ => throw Invalid($"path {path} does not exist"),
            };
        }
        return node;
    }

    private static JsonNode Add(JsonNode doc, string path, JsonNode? value)
    {
        if (path.Length == 0) return value ?? throw Invalid("cannot replace the document with null");
        var (parent, last) = Parent(doc, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray arr when last == "-":
                arr.Add(value);
                break;
            case JsonArray arr when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= arr.Count:
                arr.Insert(i, value);
                break;
            default:
                throw Invalid($"cannot add at {path}");
        }
        return doc;
    }

    private static JsonNode Remove(JsonNode doc, string path, out JsonNode? removed)
    {
        var (parent, last) = Parent(doc, path);
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out removed):
                obj.Remove(last);
                break;
            case JsonArray arr when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < arr.Count:
                removed = arr[i];
                arr.RemoveAt(i);
                break;
            default:
                throw Invalid($"path {path} does not exist");
        }
        removed = removed?.DeepClone();
        return doc;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode doc, string path)
    {
        var tokens = Tokens(path).ToList();
        if (tokens.Count == 0) throw Invalid("the root has no parent");
        var parentPath = string.Concat(tokens.Take(tokens.Count - 1).Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
        return (Get(doc, parentPath) ?? throw Invalid($"path {path} does not exist"), tokens[^1]);
    }

    private static IEnumerable<string> Tokens(string path)
    {
        if (path.Length == 0) yield break;
        if (path[0] != '/') throw Invalid($"a JSON pointer starts with /: {path}");
        foreach (var raw in path[1..].Split('/'))
        {
            yield return raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        }
    }

    private static ApiException Invalid(string message) => new(422, "Invalid", $"the JSON patch cannot be applied: {message}");
}
