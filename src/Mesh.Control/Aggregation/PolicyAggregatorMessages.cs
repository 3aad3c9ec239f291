using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Control.Aggregation;

// The aggregator's protocol. From sources: ApplyChanges, Resync, GetInForce. From the snapshot server: TrackIdentity,
// UntrackIdentity, RepublishAll. From itself: PublishPending.

/// <summary>
/// How far one input has been read (see <see cref="Mesh.Policy.Snapshots.SnapshotOrder"/>): a directory, or one
/// Kubernetes resource (a source watching two API groups has a position for each).
/// </summary>
internal readonly record struct SourcePosition(string Source, ulong Position);

/// <summary>Incremental changes from a source, in the order they happened, and where its inputs now are.</summary>
internal sealed record ApplyChanges(IReadOnlyList<ResourceChange> Changes, IReadOnlyList<SourcePosition> Positions)
{
    public ApplyChanges(IReadOnlyList<ResourceChange> changes, SourcePosition position)
        : this(changes, [position])
    {
    }
}

/// <summary>
/// Everything a source keeps in force, after it (re)started: its objects (of the kinds its
/// <see cref="Mesh.Control.Sources.SourceDefinition"/> says it owns) and, for the namespace source, the enrolled
/// namespaces. The aggregator reconciles against it rather than trusting a diff, because changes sent by a previous
/// incarnation of the source may still sit in the mailbox. The first one of every source makes the aggregator synced.
/// </summary>
/// <param name="Source">The <see cref="Mesh.Control.Sources.SourceDefinition.Name"/> of the source.</param>
internal sealed record Resync(
    string Source,
    IReadOnlyCollection<MeshResource> InForce,
    IReadOnlyList<SourcePosition> Positions,
    IReadOnlySet<string>? Enrolled = null);

/// <summary>A (re)started source asks what is in force, to keep an object's last accepted version across its restart.</summary>
internal sealed record GetInForce
{
    public static GetInForce Instance { get; } = new();

    private GetInForce()
    {
    }
}

/// <summary>The reply to <see cref="GetInForce"/>.</summary>
internal sealed record InForceResponse(IReadOnlyCollection<MeshResource> Objects);

/// <summary>A proxy watches an identity: compile and publish its snapshot even if no policy names it.</summary>
internal sealed record TrackIdentity(ServiceAccountIdentity Identity);

/// <summary>The identity's last watcher went away: stop tracking it unless a policy names it.</summary>
internal sealed record UntrackIdentity(ServiceAccountIdentity Identity);

/// <summary>The snapshot server (re)started empty: send it the current snapshot of every tracked identity.</summary>
internal sealed record RepublishAll
{
    public static RepublishAll Instance { get; } = new();

    private RepublishAll()
    {
    }
}

/// <summary>
/// Sent to itself behind the changes queued so far, so everything already queued is applied before one publication
/// per identity; a lone change waits for nothing else.
/// </summary>
internal sealed record PublishPending
{
    public static PublishPending Instance { get; } = new();

    private PublishPending()
    {
    }
}
