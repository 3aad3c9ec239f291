using System.Runtime.CompilerServices;
using System.Text.Json;
using Mesh.Policy.Model;

namespace Mesh.Policy.State;

/// <summary>
/// Content equality of resources. The model records hold lists, which records compare by reference, so two reads of
/// the same file would never be "equal"; their JSON form is. The source location is part of it on purpose: an object
/// that moved (renamed file, shifted lines) is re-sent so reports and <c>explain</c> point at where it now lives.
/// Each instance is serialized once: a resync compares every object in force, most of them the very same instances.
/// </summary>
public static class ResourceFingerprint
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };
    private static readonly ConditionalWeakTable<MeshResource, string> Cache = [];

    public static string Of(MeshResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Cache.GetValue(resource, static r => JsonSerializer.Serialize(r, r.GetType(), Options));
    }

    /// <summary>Same content (and source), whether or not the same instance.</summary>
    public static bool Same(MeshResource a, MeshResource b) => ReferenceEquals(a, b) || Of(a) == Of(b);
}
