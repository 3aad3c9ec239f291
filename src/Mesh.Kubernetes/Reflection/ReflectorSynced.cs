using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Reflection;

/// <summary>
/// A (re)list completed: <see cref="Objects"/> is everything that exists now (sorted by namespace and name), as of
/// <see cref="ResourceVersion"/>. <see cref="Changes"/> is how that differs from what the reflector reported before
/// (empty for the first list's deletions; on a relist it holds the deletions made while it was away, and only
/// objects whose resourceVersion changed). A consumer may either replace its state with <see cref="Objects"/> or
/// apply <see cref="Changes"/>: both give the same result. <see cref="IsFirst"/> marks the first list of this
/// reflector: from then on the resource counts as synced (a controller becomes ready after every kind's first).
/// </summary>
public sealed record ReflectorSynced(
    WatchedResource Resource,
    IReadOnlyList<KubeObject> Objects,
    string ResourceVersion,
    IReadOnlyList<ObjectChange> Changes,
    bool IsFirst,
    RelistReason Reason);
