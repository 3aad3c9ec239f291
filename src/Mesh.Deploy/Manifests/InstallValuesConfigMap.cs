using k8s.Models;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Manifests;

/// <summary>The install values, mounted into the controllers for the webhook's injection (<see cref="ValuesFile"/>).</summary>
internal static class InstallValuesConfigMap
{
    public const string Key = "values";

    public static string Name(MeshNames names) => $"{names.Mesh}-install-values";

    public static V1ConfigMap Build(InstallValues values, MeshNames names) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = Name(names), NamespaceProperty = names.Namespace, Labels = names.ComponentLabels(names.Controller) },
        Data = new Dictionary<string, string> { [Key] = ValuesFile.Write(values) },
    };
}
