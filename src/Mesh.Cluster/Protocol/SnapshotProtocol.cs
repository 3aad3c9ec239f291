using Akka.Actor;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Protocol;

/// <summary>
/// A proxy asks for its identity's snapshots: the current one at once (unless it already holds that version), then every
/// newer one. Sent again periodically: a snapshot server that restarted, or one the proxy has not talked to before,
/// learns its watchers from these, and it is how a proxy that missed a publication catches up. Idempotent.
/// </summary>
public sealed record WatchSnapshots(ServiceAccountIdentity Identity, IActorRef Watcher, string? HaveVersion);

/// <summary>A proxy no longer serves the identity.</summary>
public sealed record UnwatchSnapshots(ServiceAccountIdentity Identity, IActorRef Watcher);

/// <summary>An identity's snapshot, sent to each of its watchers when it is published and when a watcher asks.</summary>
public sealed record SnapshotPublished(EgressSnapshot Snapshot);
