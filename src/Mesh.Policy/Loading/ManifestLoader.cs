using Mesh.Policy.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mesh.Policy.Loading;

/// <summary>
/// Turns a YAML or JSON stream (several documents, <c>kind: List</c> included) into validated resources.
/// Each object is judged on its own: an invalid one is reported with file, line, object and field, and the
/// others are accepted. Objects of kinds Mesh does not act on are listed as ignored.
/// </summary>
public static class ManifestLoader
{
    /// <summary>The namespace of an object whose manifest names none, as <c>kubectl apply</c> assumes.</summary>
    public const string DefaultNamespace = "default";

    public static ManifestLoadResult LoadText(string text, string origin)
    {
        using var reader = new StringReader(text);
        return Load(reader, origin);
    }

    public static ManifestLoadResult Load(TextReader reader, string origin)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            var syntax = new ValidationError(new SourceLocation(origin, (int)e.Start.Line), null, "", $"not valid YAML/JSON: {message}");
            return new ManifestLoadResult([], [syntax], [], syntax);
        }

        var resources = new List<MeshResource>();
        var errors = new List<ValidationError>();
        var ignored = new List<IgnoredObject>();
        foreach (var document in stream.Documents)
        {
            LoadNode(document.RootNode, origin, resources, errors, ignored);
        }
        return new ManifestLoadResult(resources, errors, ignored);
    }

    private static void LoadNode(YamlNode node, string origin, List<MeshResource> resources, List<ValidationError> errors, List<IgnoredObject> ignored)
    {
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" }) return; // an empty document
        var line = (int)node.Start.Line;
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(new ValidationError(new SourceLocation(origin, line), null, "", "a manifest document must be an object"));
            return;
        }

        var problems = new ObjectErrors(origin);
        var root = new YamlObject(mapping, "", problems);
        var apiVersion = root.String("apiVersion") ?? "";
        var kind = root.String("kind") ?? "";
        if (kind == "List")
        {
            foreach (var (item, _) in root.Sequence("items")) LoadNode(item, origin, resources, errors, ignored);
            errors.AddRange(problems.ToErrors(null, line));
            return;
        }

        var metadata = root.Object("metadata");
        var name = metadata.String("name");
        var match = ApiVersions.Classify(apiVersion, kind, out var resourceKind, out var expected);
        if (match == ApiVersions.Match.NotOurs)
        {
            ignored.Add(new IgnoredObject(new SourceLocation(origin, line), apiVersion, kind, name));
            return;
        }

        var ns = metadata.String("namespace") ?? DefaultNamespace;
        if (string.IsNullOrEmpty(name)) problems.Add("metadata.name", "is required", mapping);
        ResourceKey? key = string.IsNullOrEmpty(name) ? null : new ResourceKey(resourceKind, ns, name);
        if (match == ApiVersions.Match.UnknownVersion)
        {
            problems.Add("apiVersion", $"'{apiVersion}' is not a supported version of {kind} (expected {expected})", mapping);
        }

        MeshResource? resource = null;
        if (key is { } k && problems.Count == 0)
        {
            var source = new SourceLocation(origin, line);
            var spec = root.Object("spec");
            resource = resourceKind switch
            {
                ResourceKind.MeshConfig => MeshConfigReader.Read(k, source, spec),
                ResourceKind.Egress => EgressReader.Read(k, source, spec),
                ResourceKind.HttpRouteGroup => HttpRouteGroupReader.Read(k, source, spec),
                _ => null,
            };
        }

        if (problems.Count > 0 || resource is null)
        {
            errors.AddRange(problems.ToErrors(key, line));
            return;
        }
        resources.Add(resource);
    }
}
