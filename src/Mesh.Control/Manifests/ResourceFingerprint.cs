using System.Text.Json;
using Mesh.Policy.Model;

namespace Mesh.Control.Manifests;

/// <summary>
/// Content equality of resources. The model records hold lists, which records compare by reference, so two reads of
/// the same file would never be "equal"; their JSON form is. The source location is part of it on purpose: an object
/// that moved (renamed file, shifted lines) is re-sent so reports and <c>explain</c> point at where it now lives.
/// </summary>
internal static class ResourceFingerprint
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static string Of(MeshResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return JsonSerializer.Serialize(resource, resource.GetType(), Options);
    }
}
