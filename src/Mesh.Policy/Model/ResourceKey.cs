namespace Mesh.Policy.Model;

/// <summary>The kinds of resource the policy core understands.</summary>
public enum ResourceKind
{
    MeshConfig,
    Egress,
    HttpRouteGroup,
}

/// <summary>Identifies one object: kind, namespace and name, as <c>kubectl</c> would.</summary>
public readonly record struct ResourceKey(ResourceKind Kind, string Namespace, string Name)
{
    /// <summary>Kind, then namespace, then name, ordinal: the order snapshots list policies in.</summary>
    public static IComparer<ResourceKey> Order { get; } = Comparer<ResourceKey>.Create(static (a, b) =>
    {
        var c = a.Kind.CompareTo(b.Kind);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Namespace, b.Namespace);
        return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
    });

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
