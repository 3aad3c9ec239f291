using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Akka.Event;
using Mesh.Policy.Decisions;
using Mesh.Policy.Snapshots;

namespace Mesh.Proxy.Connections;

// The connection actor's protocol. From its identity actor: OwnConnection (first), SnapshotApplied, CheckIdle.
// From itself: RevocationDeadlinePassed, FlowEnded.

/// <summary>The first message: the accepted connection this actor owns from now on, and where it was going.</summary>
/// <param name="Reader">Set when it came through the forward-proxy listener, which has read the CONNECT line already.</param>
internal sealed record OwnConnection(Socket Client, IPEndPoint Destination, PipeReader? Reader = null);

/// <summary>A new snapshot is in force: re-decide the flow (or the HTTP request in flight), close what it no longer allows.</summary>
internal sealed record SnapshotApplied
{
    public static SnapshotApplied Instance { get; } = new();

    private SnapshotApplied()
    {
    }
}

/// <summary>The node's idle sweep: close if no byte moved either way for <see cref="Limit"/>.</summary>
internal sealed record CheckIdle(TimeSpan Limit);

/// <summary>The revocation deadline of an HTTP response in flight passed: reset the connection.</summary>
internal sealed record RevocationDeadlinePassed(EgressSnapshot Snapshot, DecisionReason Reason);

/// <summary>The flow task ended (closed, reset, revoked or failed): the actor stops. Dropped quietly if it already has.</summary>
internal sealed record FlowEnded : IDeadLetterSuppression
{
    public static FlowEnded Instance { get; } = new();

    private FlowEnded()
    {
    }
}
