using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Conversion;
using Mesh.Kubernetes.Objects;

namespace Mesh.Control.Sources.Kubernetes;

// The Kubernetes watchers' protocol. From their reflectors (through ActorReflectorSink): ReflectorSynced,
// ReflectorChanged, ReflectorFailed (Mesh.Kubernetes records), and ReflectorStopped. To whoever asked for verdicts
// (the Egress status writer): VerdictsChanged.

/// <summary>A reflector's loop ended with an exception (a bug, not an API failure): the watcher fails and is restarted.</summary>
internal sealed record ReflectorStopped(WatchedResource Resource, Exception Cause);

/// <summary>
/// New or different verdicts of a kind's objects, and objects whose verdict is gone (deleted). The first one of a
/// watcher's incarnation carries every verdict (<see cref="Full"/>).
/// </summary>
internal sealed record VerdictsChanged(
    string Source,
    IReadOnlyList<ObjectVerdict> Verdicts,
    IReadOnlyList<(WatchedResource Resource, ObjectKey Key)> Gone,
    bool Full);

/// <summary>A resource's failure was not repeated within twice its retry delay: its retry succeeded.</summary>
internal sealed record ProblemLapsed(WatchedResource Resource);

/// <summary>Thrown by a watcher whose reflector stopped, so its backoff supervisor restarts it (and it relists).</summary>
internal sealed class ReflectorStoppedException(string message, Exception inner) : Exception(message, inner);
