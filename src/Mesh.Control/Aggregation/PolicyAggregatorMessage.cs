using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Control.Aggregation;

/// <summary>The aggregator's protocol.</summary>
internal abstract record PolicyAggregatorMessage;

/// <summary>Incremental changes from a source, in the order they happened.</summary>
internal sealed record ApplyChanges(IReadOnlyList<ResourceChange> Changes) : PolicyAggregatorMessage;

/// <summary>
/// Everything a source keeps in force, after it (re)started. The aggregator reconciles against it rather than trusting
/// a diff, because changes sent by a previous incarnation of the source may still sit in the mailbox.
/// </summary>
internal sealed record Resync(IReadOnlyCollection<MeshResource> InForce) : PolicyAggregatorMessage;

/// <summary>A proxy subscribed to an identity: compile and publish its snapshot even if no policy names it.</summary>
internal sealed record TrackIdentity(ServiceAccountIdentity Identity) : PolicyAggregatorMessage;

/// <summary>
/// Sent to itself behind the changes queued so far, so everything already queued is applied before one publication
/// per identity; a lone change waits for nothing else.
/// </summary>
internal sealed record PublishPending : PolicyAggregatorMessage
{
    public static PublishPending Instance { get; } = new();
}
