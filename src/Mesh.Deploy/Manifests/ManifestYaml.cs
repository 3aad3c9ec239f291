using System.Text;
using k8s;

namespace Mesh.Deploy.Manifests;

/// <summary>Kubernetes objects as one multi-document YAML stream, as <c>kubectl apply -f -</c> reads it.</summary>
internal static class ManifestYaml
{
    public static string Write(IEnumerable<object> objects, string? header = null)
    {
        var text = new StringBuilder();
        if (header is not null)
        {
            foreach (var line in header.Split('\n')) text.Append("# ").Append(line).Append('\n');
        }
        var first = true;
        foreach (var item in objects)
        {
            if (!first || header is not null) text.Append("---\n");
            first = false;
            var yaml = KubernetesYaml.Serialize(item);
            text.Append(yaml);
            if (!yaml.EndsWith('\n')) text.Append('\n');
        }
        return text.ToString();
    }
}
