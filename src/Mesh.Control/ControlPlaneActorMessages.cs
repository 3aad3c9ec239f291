using Akka.Actor;
using Mesh.Control.Validation;
using Mesh.Policy.State;

namespace Mesh.Control;

// The control plane actor's protocol: what its children report, and what the facade and the children ask.

/// <summary>The aggregator, after each message once synced: the objects now in force.</summary>
internal sealed record StateApplied(ClusterState State);

/// <summary>The aggregator, once its first complete sync has been published: proxies may now be served.</summary>
internal sealed record FirstSyncPublished
{
    public static FirstSyncPublished Instance { get; } = new();

    private FirstSyncPublished()
    {
    }
}

/// <summary>A source's verdict on what it read (objects, rejections, syntax errors, conflicts); replaces its previous one.</summary>
internal sealed record ValidationReported(string Source, ValidationReport Report);

/// <summary>
/// What keeps a source from reading its inputs right now (a 403 naming the verb and resource to grant, an API server
/// that cannot be reached before the first list), one line each; empty once it reads again. Replaces its previous one.
/// </summary>
internal sealed record SourceHealthReported(string Source, IReadOnlyList<string> Problems);

/// <summary>A (re)started aggregator asks what was last applied, so a restart keeps serving what was in force.</summary>
internal sealed record GetLastApplied
{
    public static GetLastApplied Instance { get; } = new();

    private GetLastApplied()
    {
    }
}

/// <summary>The reply to <see cref="GetLastApplied"/>; null when nothing was applied in full yet.</summary>
internal sealed record LastAppliedResponse(ClusterState? State);

/// <summary>Answered with <see cref="ControlPlaneReady"/> once the first sync is published (at once if it was).</summary>
internal sealed record AwaitFirstSync
{
    public static AwaitFirstSync Instance { get; } = new();

    private AwaitFirstSync()
    {
    }
}

/// <summary>The control plane serves: watch snapshots at <see cref="SnapshotServer"/>.</summary>
internal sealed record ControlPlaneReady(IActorRef SnapshotServer);

/// <summary>Answered at once with <see cref="ControlPlaneStarted"/>.</summary>
internal sealed record GetSnapshotServer
{
    public static GetSnapshotServer Instance { get; } = new();

    private GetSnapshotServer()
    {
    }
}

/// <summary>The control plane's actors exist (they may not have read their sources yet): watch snapshots at <see cref="SnapshotServer"/>.</summary>
internal sealed record ControlPlaneStarted(IActorRef SnapshotServer);

/// <summary>Answered with a <see cref="ControlPlaneStatus"/>.</summary>
internal sealed record GetControlPlaneStatus
{
    public static GetControlPlaneStatus Instance { get; } = new();

    private GetControlPlaneStatus()
    {
    }
}
