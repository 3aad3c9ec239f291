using Mesh.Kubernetes.Objects;
using Mesh.Kubernetes.Catalog;
using Mesh.Policy.Loading;
using Mesh.Policy.State;

namespace Mesh.Kubernetes.Conversion;

/// <summary>
/// What one reflector report changed for a kind: the changes for the policy aggregator (the same
/// <see cref="ResourceChange"/> messages the manifest watcher sends), verdicts that are new or different, objects
/// whose verdict is gone (deleted), and new rejections to log.
/// </summary>
public sealed record KindDelta(
    IReadOnlyList<ResourceChange> Changes,
    IReadOnlyList<ObjectVerdict> Verdicts,
    IReadOnlyList<(WatchedResource Source, ObjectKey Key)> Gone,
    IReadOnlyList<ValidationError> Rejections)
{
    public static KindDelta Empty { get; } = new([], [], [], []);

    public bool IsEmpty => Changes.Count == 0 && Verdicts.Count == 0 && Gone.Count == 0 && Rejections.Count == 0;
}
