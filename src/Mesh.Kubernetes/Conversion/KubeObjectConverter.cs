using System.Text.Json.Nodes;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;

namespace Mesh.Kubernetes.Conversion;

/// <summary>
/// Turns an API object into a Mesh.Policy resource with the very validation manifests get (the manifest loader
/// reads JSON as YAML), so an invalid object is rejected alone, naming namespace, name and field, as for files.
/// </summary>
/// <remarks>
/// The origin of every resource and error is <c>kubernetes &lt;plural.group&gt; &lt;namespace&gt;/&lt;name&gt;</c>
/// instead of file:line; line numbers are dropped, since a line of the server's JSON means nothing to a user.
/// </remarks>
public static class KubeObjectConverter
{
    public static string Origin(WatchedResource source, KubeObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Origin(source, item.Key);
    }

    /// <summary><c>kubernetes &lt;plural.group&gt; &lt;namespace&gt;/&lt;name&gt;</c>: where an object comes from, in reports.</summary>
    public static string Origin(WatchedResource source, ObjectKey key)
    {
        ArgumentNullException.ThrowIfNull(source);
        return $"kubernetes {source.Resource.Name} {key}";
    }

    /// <param name="originNote">Appended to the origin in parentheses (which version this is, when not the object's own spec).</param>
    public static ConversionResult Convert(WatchedResource source, KubeObject item, string? originNote = null)
    {
        var origin = originNote is null ? Origin(source, item) : $"{Origin(source, item)} ({originNote})";
        var location = new SourceLocation(origin);
        var loaded = ManifestLoader.LoadText(WithTypeMeta(source, item), origin);
        var errors = loaded.Errors.Select(e => e with { Source = location }).ToList();
        if (loaded.Resources.Count == 1 && errors.Count == 0)
        {
            return new ConversionResult(loaded.Resources[0] with { Source = location }, []);
        }
        if (errors.Count == 0)
        {
            // The loader ignored it: not a kind it knows (the watch returned something else than asked for).
            var what = loaded.Ignored.Count > 0 ? $"{loaded.Ignored[0].ApiVersion} {loaded.Ignored[0].Kind}" : "an empty object";
            var key = source.PolicyKind is { } kind ? new ResourceKey(kind, item.Namespace, item.Name) : (ResourceKey?)null;
            errors.Add(new ValidationError(location, key, "", $"is {what}, not a {source.Resource.Kind} Mesh can read"));
        }
        return new ConversionResult(null, errors);
    }

    /// <summary>
    /// The object's JSON text, with apiVersion and kind filled in when the server left them out (typed lists do),
    /// so the loader recognises it.
    /// </summary>
    private static string WithTypeMeta(WatchedResource source, KubeObject item)
    {
        var json = item.Json;
        if (json.TryGetProperty("apiVersion", out _) && json.TryGetProperty("kind", out _)) return item.ToJsonText();
        var node = JsonNode.Parse(item.ToJsonText())!.AsObject();
        node["apiVersion"] ??= source.Resource.ApiVersion(source.Resource.Versions[0]);
        node["kind"] ??= source.Resource.Kind;
        return node.ToJsonString();
    }
}
