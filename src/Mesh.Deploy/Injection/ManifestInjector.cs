using k8s;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Mesh.Deploy.Injection;

/// <summary>
/// <c>mesh inject</c>: injects every workload of a YAML (or JSON) stream, several documents and <c>kind: List</c>
/// included, and passes every other object through unchanged (its scalars keep their quoting). Injected objects are
/// re-serialized from the typed models. Any object that cannot be injected fails the whole run with its name, so a
/// half-injected stream never reaches <c>kubectl apply</c>.
/// </summary>
internal static class ManifestInjector
{
    public static ManifestInjection Inject(string yaml, InjectionSettings settings, string origin)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InjectionException($"{origin}:{e.Start.Line}: not valid YAML/JSON: {e.InnerException?.Message ?? e.Message}");
        }

        var reports = new List<ObjectReport>();
        var documents = new List<string>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" or "~" or "null" }) continue; // an empty document
            var root = Visit(document.RootNode, settings, origin, reports);
            BlockStyle(root);
            documents.Add(Text(root));
        }
        return new ManifestInjection(string.Join("---\n", documents), reports);
    }

    private static YamlNode Visit(YamlNode node, InjectionSettings settings, string origin, List<ObjectReport> reports)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw new InjectionException($"{origin}:{node.Start.Line}: a manifest document must be an object");
        }
        var apiVersion = Scalar(mapping, "apiVersion");
        var kind = Scalar(mapping, "kind");
        var name = mapping.Children.TryGetValue("metadata", out var meta) && meta is YamlMappingNode m ? Scalar(m, "name") : null;

        if (apiVersion == "v1" && kind == "List")
        {
            if (mapping.Children.TryGetValue("items", out var items) && items is YamlSequenceNode sequence)
            {
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    sequence.Children[i] = Visit(sequence.Children[i], settings, origin, reports);
                }
            }
            return mapping;
        }

        var workload = Workloads.Find(apiVersion, kind);
        if (workload is null)
        {
            reports.Add(new ObjectReport(kind ?? "(no kind)", name, null, "not a workload"));
            return mapping;
        }

        var where = $"{origin}:{mapping.Start.Line}: {kind}/{name ?? "(unnamed)"}";
        object typed;
        try
        {
            typed = workload.Load(Text(mapping));
        }
        catch (YamlException e)
        {
            throw new InjectionException($"{where}: {e.InnerException?.Message ?? e.Message}");
        }

        var (podMetadata, podSpec) = workload.Pod(typed);
        if (podSpec is null) throw new InjectionException($"{where}: it has no pod template spec");
        InjectionOutcome outcome;
        try
        {
            outcome = PodInjector.Plan(podMetadata, podSpec, settings);
        }
        catch (InjectionException e)
        {
            throw new InjectionException($"{where}: {e.Message}");
        }
        reports.Add(new ObjectReport(kind!, name, outcome.Verdict, outcome.Reason));
        if (outcome.Verdict != InjectionVerdict.Injected) return mapping;

        outcome.Changes.ApplyTo(podSpec);
        var injected = new YamlStream();
        injected.Load(new StringReader(KubernetesYaml.Serialize(typed)));
        return injected.Documents[0].RootNode;
    }

    /// <summary>
    /// Output is block-style YAML even for JSON input: an injected object inside a flow collection would otherwise be
    /// written as one long line. Scalars keep their quoting, so every value reads back as it was.
    /// </summary>
    private static void BlockStyle(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                mapping.Style = MappingStyle.Block;
                foreach (var child in mapping.Children.Values) BlockStyle(child);
                break;
            case YamlSequenceNode sequence:
                sequence.Style = SequenceStyle.Block;
                foreach (var child in sequence.Children) BlockStyle(child);
                break;
        }
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>One node as a YAML document, without the "..." end marker YamlDotNet writes.</summary>
    private static string Text(YamlNode node)
    {
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
