using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Mesh.Cluster.Protocol;
using Mesh.Cluster.Serialization;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Listeners;
using Mesh.Proxy.Observability;

namespace Mesh.Proxy.Node;

/// <summary>
/// Serves one identity (ServiceAccount) on a proxy node: watches its snapshots at the source, keeps the outbound
/// listener open only while something is reachable, makes a <see cref="ConnectionActor"/> child for every accepted
/// connection and tells each live one about every new snapshot. Fail closed before the first snapshot (nothing
/// listens; a forward-proxy request is answered 403); fail static after: the last snapshot stays in force while the
/// source is silent or gone, and the actor keeps asking it again every <see cref="ProxyOptions.RewatchInterval"/>.
/// A snapshot is applied only if the order of its inputs supersedes the one in force (<see cref="SnapshotOrder"/>):
/// several controllers may send it theirs, and one that lags must not take the proxy back.
/// <para>
/// Every watch names a preferred controller (<see cref="WatchSnapshots.Preferred"/>), the one that alone pushes this
/// actor each change: the one preferred so far while it keeps answering, otherwise one of those heard from lately,
/// chosen by a hash salted per actor so that proxies spread over the controllers. A push travels as the change since
/// the snapshot that controller pushed before; one whose base this actor does not hold arrives as
/// <see cref="SnapshotBaseMissing"/>, and the actor asks for the whole snapshot at once.
/// </para>
/// <para>
/// Supervision: a connection actor that fails is stopped, never restarted (its socket's state is unknown; stopping
/// closes it): <see cref="SupervisorStrategy"/>. This actor's own parent resumes it after a failure, because a
/// restart would drop every live connection and the snapshot in force.
/// </para>
/// <para>
/// Idle connections are closed by one sweep per identity, not a timer per connection: a timer per connection costs
/// memory for every idle one and timer-queue work for every new one (the idle-connection benchmark). The sweep runs at
/// a quarter of the idle timeout, so a close comes between 1 and 1.25 times it.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor releases what it holds in PostStop.")]
internal sealed class IdentityActor : ReceiveActor, IWithTimers
{
    private const string RewatchTimer = "rewatch";
    private const string SweepTimer = "idle-sweep";

    private readonly ProxyContext _context;
    private readonly IActorRef _source;
    private readonly IOriginalDestinationResolver _originalDestination;
    private readonly IHostResolver _hostResolver;
    private readonly IReadOnlyList<IPEndPoint> _outboundEndpoints;
    private readonly Props _connectionProps;
    private readonly CheckIdle _checkIdle;
    private OutboundListener? _listener;
    private ForwardProxyListener? _forwardProxy;
    private bool _sourceReachable = true;
    private DateTimeOffset? _appliedAt;
    private SnapshotOrder _order = SnapshotOrder.None;
    private readonly SnapshotSources _sources;

    public IdentityActor(ProxyContext context, IActorRef source, IOriginalDestinationResolver originalDestination, IHostResolver hostResolver,
        IReadOnlyList<IPEndPoint> outboundEndpoints)
    {
        _context = context;
        _source = source;
        _originalDestination = originalDestination;
        _hostResolver = hostResolver;
        _outboundEndpoints = outboundEndpoints;
        _sources = new SnapshotSources(3 * context.Options.RewatchInterval);
        // One Props for every connection: the connection's socket comes in its first message, not in its Props.
        ConnectionMailbox.Install(Context.System);
        _connectionProps = ConnectionActor.Props(context);
        _checkIdle = new CheckIdle(context.Options.IdleTimeout);
        Receive<SnapshotPublished>(m =>
        {
            Heard(m.Server, m.Sequence);
            Apply(m.Snapshot, m.Order);
        });
        // A change against a snapshot we do not hold (we missed it, or hold another version): ask for the whole one.
        Receive<SnapshotBaseMissing>(m =>
        {
            _context.Metrics.BaseMissing();
            if (!Heard(m.Server, m.Sequence)) Watch(have: _context.Snapshot?.Version);
        });
        // "You hold my latest": a baseline for that server's sequence, never a gap (it pushes another proxy's changes, not ours).
        Receive<SnapshotCurrent>(m => Heard(m.Server, m.Sequence, baseline: true));
        Receive<SnapshotTooLarge>(m =>
        {
            Heard(null, 0);
            _context.Metrics.SnapshotTooLarge();
            ProxyLog.SnapshotTooLarge(_context.Logger, m.Identity, m.Version, m.Bytes, m.Limit, _context.Snapshot?.Version ?? "none");
        });
        Receive<OwnConnection>(m => Context.ActorOf(_connectionProps).Tell(m));
        Receive<SweepIdle>(_ =>
        {
            foreach (var connection in Context.GetChildren()) connection.Tell(_checkIdle);
        });
        Receive<Rewatch>(_ =>
        {
            Watch(_context.Snapshot?.Version);
            // Silent for three rounds: say so (and keep enforcing what we have).
            var reachable = _sources.LastHeard is { } heard && DateTimeOffset.UtcNow - heard < 3 * _context.Options.RewatchInterval;
            if (reachable != _sourceReachable)
            {
                _sourceReachable = reachable;
                _context.Metrics.SourceReachable(reachable);
                if (!reachable) ProxyLog.SourceSilent(_context.Logger, _context.Identity, _context.Snapshot?.Version ?? "none");
                PublishView();
            }
        });
        Receive<Terminated>(m => m.ActorRef.Equals(_source), _ =>
        {
            // Fail static: nothing the source does can take the snapshot in force away.
            ProxyLog.SourceGone(_context.Logger, _context.Identity, _context.Snapshot?.Version ?? "none");
            _sourceReachable = false;
            PublishView();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The node's name for an identity's actor: a namespace has no dots, so the first one separates.</summary>
    public static string NameOf(Mesh.Policy.Model.ServiceAccountIdentity identity) => $"{identity.Namespace}.{identity.Name}";

    public static Props Props(ProxyContext context, IActorRef source, IOriginalDestinationResolver originalDestination, IHostResolver hostResolver,
        IReadOnlyList<IPEndPoint> outboundEndpoints) =>
        Akka.Actor.Props.Create(() => new IdentityActor(context, source, originalDestination, hostResolver, outboundEndpoints));

    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
        var self = Self; // the listeners call back on their accept loops: they only Tell
        var live = _context.Live;
        ProxyLog.ConnectionLimit(_context.Logger, _context.IdentityText, live.Limit);
        _listener = new OutboundListener(_outboundEndpoints, (socket, listener) => OnAccepted(socket, listener, self), _context.Logger,
            _context.Transport, live);
        if (_context.Options.ForwardProxyEndpoint is { } forward)
        {
            // Its connections are counted against the limit as it accepts them (their handshakes hold descriptors too).
            _forwardProxy = new ForwardProxyListener(forward, _context, _hostResolver,
                (socket, destination, reader) => self.Tell(new OwnConnection(socket, destination, reader)), _context.Logger);
            _forwardProxy.Start();
        }
        Context.Watch(_source);
        Watch(have: null);
        Timers.StartPeriodicTimer(RewatchTimer, Rewatch.Instance, _context.Options.RewatchInterval);
        var sweep = TimeSpan.FromTicks(Math.Clamp(_context.Options.IdleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromMinutes(1).Ticks));
        Timers.StartPeriodicTimer(SweepTimer, SweepIdle.Instance, sweep);
        PublishView();
    }

    protected override void PostStop()
    {
        _listener?.Close();
        _forwardProxy?.Close();
        // The node no longer serves the identity: the serializer need not keep its last snapshot to decode the next against.
        MeshWireSerializer.Forget(Context.System, _context.Identity);
    }

    /// <summary>
    /// Notes that the source answered; a sequence that skips one from the same server means a publication was lost:
    /// ask again at once rather than at the next re-watch (the answer is the whole snapshot, so only the newest matters).
    /// </summary>
    /// <returns>Whether it asked again.</returns>
    private bool Heard(string? server, long sequence, bool baseline = false)
    {
        var lost = _sources.Heard(Sender.IsNobody() ? null : Sender.Path.Address, server, sequence, baseline, DateTimeOffset.UtcNow);
        if (!_sourceReachable)
        {
            _sourceReachable = true;
            _context.Metrics.SourceReachable(true);
        }
        PublishView();
        if (!lost) return false;
        _context.Metrics.SequenceGap();
        Watch(have: null);
        return true;
    }

    /// <summary>Asks the source for the identity's snapshots, naming the controller this actor would have them pushed by.</summary>
    private void Watch(string? have) => _source.Tell(new WatchSnapshots(_context.Identity, Self, have, _sources.Preferred(DateTimeOffset.UtcNow)));

    private void Apply(EgressSnapshot snapshot, SnapshotOrder order)
    {
        if (snapshot.Version == _context.Snapshot?.Version)
        {
            if (order.Supersedes(_order)) _order = order; // the same content, known newer: a re-sent one
            return;
        }
        if (_context.Snapshot is not null && !order.Supersedes(_order))
        {
            // From a lagging controller (or one lagging on another source): keep the newer one we have.
            _context.Metrics.SnapshotIgnored();
            ProxyLog.SnapshotIgnored(_context.Logger, snapshot.Identity, snapshot.Version, order, _context.Snapshot.Version, _order);
            return;
        }
        var now = DateTimeOffset.UtcNow;
        _order = order;
        _context.Snapshot = snapshot;
        _context.Metrics.SnapshotApplied(snapshot, now);
        _listener!.SetOpen(snapshot.CanReachAnything);
        foreach (var issue in snapshot.Issues) ProxyLog.SnapshotIssue(_context.Logger, snapshot.Identity, issue);
        ProxyLog.SnapshotApplied(_context.Logger, snapshot.Version, snapshot.Identity, snapshot.Rules.Count, snapshot.EnableEgress, _listener.IsOpen);
        foreach (var connection in Context.GetChildren()) connection.Tell(Connections.SnapshotApplied.Instance);
        _sourceReachable = true;
        _appliedAt = now;
        PublishView();
    }

    private void PublishView() => _context.View = new IdentityView(_context.Snapshot, _order, _appliedAt, _listener?.IsOpen ?? false,
        _listener?.BoundEndpoints ?? [], _forwardProxy?.BoundEndpoint, _sourceReachable, _sources.LastHeard);

    /// <summary>
    /// Runs on the accept loop (the epoll transport's, or .NET's): finds where the connection was going, and hands it to
    /// the actor.
    /// </summary>
    private void OnAccepted(Socket socket, IPEndPoint listener, IActorRef self)
    {
        var destination = _originalDestination.Resolve(socket, listener);
        if (destination is null || (IPAddress.IsLoopback(destination.Address) && IsSelf(destination)))
        {
            // Not redirected, or redirected to ourselves: forwarding would loop. Fail closed.
            ProxyLog.NoOriginalDestination(_context.Logger, socket.RemoteEndPoint);
            socket.LingerState = new LingerOption(true, 0);
            socket.Dispose();
            return;
        }
        _context.Live.Accepted();
        self.Tell(new OwnConnection(socket, destination));
    }

    private bool IsSelf(IPEndPoint destination) =>
        _listener!.BoundEndpoints.Any(e => e.Port == destination.Port && (e.Address.Equals(destination.Address) ||
            e.Address.Equals(IPAddress.Any) || e.Address.Equals(IPAddress.IPv6Any)));
}
