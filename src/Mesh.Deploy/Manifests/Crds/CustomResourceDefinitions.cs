using k8s.Models;

namespace Mesh.Deploy.Manifests.Crds;

/// <summary>
/// A CRD from its names and one schema shared by all served versions. With <c>conversion: None</c> the versions
/// differ only in their apiVersion, which is what OSM's MeshConfig versions amount to for the fields Mesh reads.
/// </summary>
internal static class CustomResourceDefinitions
{
    public static V1CustomResourceDefinition Build(
        string group,
        string kind,
        string plural,
        string[] shortNames,
        IReadOnlyList<string> versions,
        string storageVersion,
        V1JSONSchemaProps schema,
        bool statusSubresource) =>
        new()
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{plural}.{group}", Labels = MeshNames.SharedLabels },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = kind,
                    ListKind = kind + "List",
                    Plural = plural,
                    Singular = kind.ToLowerInvariant(),
                    ShortNames = shortNames,
                },
                Versions = versions.Select(version => new V1CustomResourceDefinitionVersion
                {
                    Name = version,
                    Served = true,
                    Storage = version == storageVersion,
                    Schema = new V1CustomResourceValidation { OpenAPIV3Schema = schema },
                    Subresources = statusSubresource ? new V1CustomResourceSubresources { Status = new Dictionary<string, object>() } : null,
                }).ToList(),
            },
        };
}
