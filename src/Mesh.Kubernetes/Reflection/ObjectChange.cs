using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Reflection;

/// <summary>What happened to one object.</summary>
public enum ChangeType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One object's change. For <see cref="ChangeType.Deleted"/>, the item is its last known state.</summary>
public sealed record ObjectChange(ChangeType Type, KubeObject Item)
{
    public override string ToString() => $"{Type} {Item}";
}
