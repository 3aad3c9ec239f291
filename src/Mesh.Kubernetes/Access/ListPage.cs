using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Access;

/// <summary>One page of a list: its items, the list's resourceVersion, and the token for the next page (null: last).</summary>
public sealed record ListPage(IReadOnlyList<KubeObject> Items, string ResourceVersion, string? Continue);
