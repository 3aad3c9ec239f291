using k8s;
using Mesh.Kubernetes.Catalog;

namespace Mesh.Kubernetes.Access;

/// <summary>Picks the version of a resource to read: the first of its candidates that the server serves.</summary>
internal static class ServedVersions
{
    /// <exception cref="ResourceNotServedException">The group is not served, or none of the candidate versions.</exception>
    public static async Task<string> ResolveAsync(IKubernetes client, ApiResource resource, CancellationToken cancellationToken)
    {
        if (resource.Versions.Count == 1) return resource.Versions[0];
        var groups = await client.Apis.GetAPIVersionsAsync(cancellationToken).ConfigureAwait(false);
        var group = groups.Groups?.FirstOrDefault(g => g.Name == resource.Group)
            ?? throw new ResourceNotServedException($"the API server does not serve the group {resource.Group} (is its CRD installed?)");
        var served = group.Versions?.Select(v => v.Version).ToHashSet(StringComparer.Ordinal) ?? [];
        return resource.Versions.FirstOrDefault(served.Contains)
            ?? throw new ResourceNotServedException(
                $"the API server serves {resource.Group} in {string.Join(", ", served.Order(StringComparer.Ordinal))}, none of {string.Join(", ", resource.Versions)}");
    }
}
