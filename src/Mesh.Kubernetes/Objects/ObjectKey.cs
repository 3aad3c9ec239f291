namespace Mesh.Kubernetes.Objects;

/// <summary>Namespace and name of an object; the namespace is empty for cluster-scoped objects.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static IComparer<ObjectKey> Order { get; } = Comparer<ObjectKey>.Create(static (a, b) =>
    {
        var c = string.CompareOrdinal(a.Namespace, b.Namespace);
        return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
    });

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
