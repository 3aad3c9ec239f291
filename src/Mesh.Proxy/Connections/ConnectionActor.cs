using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Protocols.Sniffing;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Http;
using Mesh.Proxy.Observability;
using Mesh.Proxy.Transport;

namespace Mesh.Proxy.Connections;

/// <summary>
/// Owns one accepted connection from accept to close, as a child of its identity actor. The flow task
/// (<c>ConnectionActor.Flow.cs</c>) decides on accept, sniffs, decides again, then forwards, inspects HTTP request by
/// request, or resets: bytes move on the sockets in the pumps, never through the mailbox. The mailbox (this file)
/// receives what can end the connection from outside: a new snapshot re-decides the flow, and an opaque/TLS flow (or an
/// upgraded HTTP tunnel) it no longer allows is reset at once, while an HTTP response in flight for a request it no
/// longer allows may finish within the revocation deadline; the node's idle sweep; and the end of the flow task, upon
/// which the actor stops. Stopping the actor (its parent stopping) closes the connection. A denied flow never causes
/// an upstream connection.
/// <para>
/// An <see cref="UntypedActor"/> on purpose, and without timers of its own: a proxy holds thousands of these, and a
/// <c>ReceiveActor</c>'s handler table or a timer scheduler per instance would cost every idle connection memory
/// (the idle-connection benchmark). The flow task writes <see cref="_flow"/> and <see cref="_http"/> and the actor reads
/// them: the task is this actor's own worker, not another actor.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The lifetime source has no timer to release; it is cancelled in PostStop and may still be observed by the unwinding flow task.")]
internal sealed partial class ConnectionActor(ProxyContext context) : UntypedActor
{
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ByteCounters _bytes = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private Socket _client = null!;
    private IPEndPoint _destination = null!;
    private NetAddress _address;
    private PipeReader? _reader;
    private QueuedBytes? _queued; // the flow task's: the client's first bytes, read before any pipe
    private IActorRef _self = ActorRefs.Nobody;

    // The facts the flow was allowed on, re-checked against every new snapshot; null while not (yet) a forwarded flow.
    private volatile FlowFacts? _flow;

    // The flow on the epoll transport while it runs: the loop owns the client's descriptor, so a reset goes through it.
    private volatile EpollFlow? _epoll;

    // Set once the connection is inspected as HTTP; its request in flight is re-checked against every new snapshot.
    private volatile HttpInspector? _http;

    // The snapshot a live flow or request was last re-checked against: a burst of snapshots is checked once, against the newest.
    private EgressSnapshot? _rechecked;
    private ICancelable? _revocationDeadline;
    private bool _closing;

    /// <summary>
    /// The props of every connection actor of an identity (made once: the connection comes in the first message),
    /// on the small <see cref="ConnectionMailbox"/> (<see cref="ConnectionMailbox.Install"/> first), made without reflection.
    /// </summary>
    public static Props Props(ProxyContext context) =>
        Akka.Actor.Props.CreateBy(new Producer(context)).WithMailbox(ConnectionMailbox.ConfigPath);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case SnapshotApplied when !_closing:
                Recheck();
                break;
            case CheckIdle { Limit: var limit } when !_closing && _bytes.Idle >= limit:
                // A normal close, not a reset: nothing was refused, the connection just went quiet.
                context.Metrics.Count(Outcome.IdleClosed);
                Close();
                break;
            case RevocationDeadlinePassed { Snapshot: var snapshot, Reason: var reason } when !_closing:
                Revoke(snapshot, reason, null);
                break;
            case FlowEnded:
                Context.Stop(Self);
                break;
            case OwnConnection own:
                Own(own);
                break;
            case SnapshotApplied or CheckIdle or RevocationDeadlinePassed:
                break; // closing already
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PostStop()
    {
        _revocationDeadline?.Cancel();
        _lifetime.Cancel(); // the flow task unwinds and closes both sockets
    }

    private void Own(OwnConnection own)
    {
        _client = own.Client;
        _destination = own.Destination;
        _reader = own.Reader;
        _address = NetAddress.FromIPAddress(own.Destination.Address);
        _self = Self;
        // Runs on this thread until its first wait (decide, start the sniff read or the upstream connect).
        RunFlowAsync().PipeTo(Self, success: static () => FlowEnded.Instance, failure: static _ => FlowEnded.Instance);
    }

    /// <summary>Re-decides the live flow or request against the newest snapshot (not the one that was announced).</summary>
    private void Recheck()
    {
        var snapshot = context.Snapshot!;
        if (ReferenceEquals(snapshot, _rechecked)) return;
        if (_flow is { } flow)
        {
            _rechecked = snapshot;
            // The whole path a new connection would take: a server-first rule allows on accept; otherwise the flow
            // is judged by what was sniffed (a server-first flow never showed its bytes: opaque).
            var verdict = snapshot.DecideOnAccept(_address, _destination.Port);
            if (verdict.Verdict == ConnectionVerdict.Sniff)
            {
                verdict = snapshot.DecideSniffed(_address, _destination.Port, flow.Protocol, flow.Sni);
            }
            if (verdict.Verdict != ConnectionVerdict.Allow) Revoke(snapshot, verdict.Reason, flow.Sni);
            return;
        }
        if (_http is { } http)
        {
            _rechecked = snapshot;
            switch (http.Recheck(snapshot, out var reason))
            {
                case HttpRecheck.ResetNow:
                    Revoke(snapshot, reason, null);
                    break;
                case HttpRecheck.FinishResponse when _revocationDeadline is null:
                    // A response that finishes first ends the connection (the inspector closes it), which stops the
                    // actor and cancels this; one still streaming at the deadline is cut off with a reset.
                    _revocationDeadline = Context.System.Scheduler.ScheduleTellOnceCancelable(
                        context.Options.RevocationDeadline, Self, new RevocationDeadlinePassed(snapshot, reason), Self);
                    break;
            }
        }
    }

    private void Revoke(EgressSnapshot snapshot, DecisionReason reason, string? sni)
    {
        context.Metrics.Revoked();
        ProxyLog.Revoked(context.Logger, _destination, snapshot.Version, reason);
        Reset(Outcome.Revoked(reason), sni);
        Close();
    }

    /// <summary>Ends the flow task; its end stops the actor.</summary>
    private void Close()
    {
        _closing = true;
        _lifetime.Cancel();
    }

    /// <summary>Makes connection actors without reflection: thousands are made per second.</summary>
    private sealed class Producer(ProxyContext context) : IIndirectActorProducer
    {
        public Type ActorType => typeof(ConnectionActor);

        public ActorBase Produce() => new ConnectionActor(context);

        public void Release(ActorBase actor)
        {
        }
    }

    private sealed record FlowFacts(bool ServerFirst, SniffedProtocol Protocol, string Sni);
}
