using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;
using Mesh.Kubernetes.Status;

namespace Mesh.Control.Status;

// The status writer's own messages: the outcome of each write (piped from the writer's task) and its retry timer.
// Everything else it receives is what watchers send an aggregator (Resync, ApplyChanges, VerdictsChanged).

/// <summary>A write of <see cref="Wanted"/> finished.</summary>
internal sealed record StatusWriteDone(WatchedResource Resource, ObjectKey Key, WantedStatus Wanted, StatusWriteOutcome Outcome);

/// <summary>A write of <see cref="Wanted"/> failed; it is tried again after a backoff.</summary>
internal sealed record StatusWriteFailed(WatchedResource Resource, ObjectKey Key, WantedStatus Wanted, Exception Cause);

/// <summary>The backoff after failed writes is over: try them again.</summary>
internal sealed record RetryStatusWrites
{
    public static RetryStatusWrites Instance { get; } = new();

    private RetryStatusWrites()
    {
    }
}
