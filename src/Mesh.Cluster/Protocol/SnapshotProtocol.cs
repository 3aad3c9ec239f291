using Akka.Actor;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Cluster.Protocol;

/// <summary>The messages that cross the network between proxies and controllers (bound to Mesh's wire serializer).</summary>
public interface IMeshWireMessage;

/// <summary>
/// A proxy asks for its identity's snapshots: the current one at once (unless it already holds that version), then every
/// newer one. Sent again periodically: a snapshot server that restarted, or one the proxy has not talked to before,
/// learns its watchers from these, and it is how a proxy that missed a publication catches up. Idempotent.
/// <para>
/// Every controller's server gets each watch, but only one pushes the proxy each change: the one at
/// <see cref="Preferred"/> (a controller the proxy heard from lately; null: any, so every server pushes), or any server
/// while the preferred one is not an up and reachable controller. One copy per change instead of one per controller
/// halves what fan-out costs the controllers and every proxy; the others still answer watches, so a proxy that misses
/// a push catches up at its next watch, and a controller's loss is taken over as soon as the cluster sees it.
/// </para>
/// </summary>
public sealed record WatchSnapshots(ServiceAccountIdentity Identity, IActorRef Watcher, string? HaveVersion, Address? Preferred = null) : IMeshWireMessage;

/// <summary>A proxy no longer serves the identity.</summary>
public sealed record UnwatchSnapshots(ServiceAccountIdentity Identity, IActorRef Watcher) : IMeshWireMessage;

/// <summary>
/// An identity's snapshot and the order of the inputs it was computed from (<see cref="SnapshotOrder"/>): what a
/// receiver compares to keep only newer ones. Servers send it to watchers with <see cref="Sequence"/>, which counts
/// the snapshots that server (incarnation <see cref="Server"/>) has taken for the identity, so a watcher that sees a gap
/// asks again; controllers announce it to each other on the identity's topic with no sequence. With a
/// <see cref="Base"/> (the snapshot the server pushed before), only what changed since it travels; the receiver's copy
/// has no base (see <see cref="SnapshotBaseMissing"/> for one that lacks it).
/// </summary>
public sealed record SnapshotPublished(EgressSnapshot Snapshot, SnapshotOrder Order, long Sequence = 0, string Server = "",
    EgressSnapshot? Base = null) : IMeshWireMessage;

/// <summary>
/// What a node receives for a <see cref="SnapshotPublished"/> encoded against a base it does not hold (it missed that
/// push, or holds another version): nothing to apply, and the identity asks its servers for the whole snapshot. Made by
/// the wire serializer on receipt; never sent.
/// </summary>
public sealed record SnapshotBaseMissing(ServiceAccountIdentity Identity, SnapshotOrder Order, long Sequence, string Server);

/// <summary>The answer to a watch from a proxy that holds the server's snapshot already: the controller is there.</summary>
public sealed record SnapshotCurrent(ServiceAccountIdentity Identity, string Version, long Sequence, string Server) : IMeshWireMessage;

/// <summary>
/// The server could not send the identity's snapshot: it is larger than one remote message may be
/// (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>). The proxy keeps the snapshot it has and says so, loudly.
/// </summary>
public sealed record SnapshotTooLarge(ServiceAccountIdentity Identity, string Version, long Bytes, long Limit) : IMeshWireMessage;
