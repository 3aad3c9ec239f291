using Mesh.Policy.Model;

namespace Mesh.Policy.State;

/// <summary>A change to the watched world, as watchers report it. Messages are immutable.</summary>
public abstract record ResourceChange
{
    private ResourceChange()
    {
    }

    /// <summary>An object was added or modified (the new accepted version).</summary>
    public sealed record Upserted(MeshResource Resource) : ResourceChange;

    /// <summary>An object was deleted.</summary>
    public sealed record Deleted(ResourceKey Key) : ResourceChange;

    /// <summary>The set of mesh-enrolled namespaces changed (Kubernetes only; null means all count).</summary>
    public sealed record EnrollmentChanged(IReadOnlySet<string>? Namespaces) : ResourceChange;
}
