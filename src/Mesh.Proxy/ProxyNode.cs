using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Listeners;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy;

/// <summary>
/// A proxy node serving one identity: subscribes to its snapshots, keeps the outbound listener open only while
/// something is reachable, spawns a <see cref="ConnectionActor"/> per accepted connection and tells every live one
/// about each new snapshot. Fail closed before the first snapshot; fail static after (the last snapshot stays in
/// force while the source is away).
/// </summary>
public sealed class ProxyNode : IAsyncDisposable
{
    private readonly ISnapshotSource _source;
    private readonly IOriginalDestinationResolver _originalDestination;
    private readonly ProxyContext _context;
    private readonly OutboundListener _listener;
    private readonly ForwardProxyListener? _forwardProxy;
    private readonly ConcurrentDictionary<ConnectionActor, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstSnapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private Task _snapshotLoop = Task.CompletedTask;
    private Task _idleSweep = Task.CompletedTask;

    public ProxyNode(
        ServiceAccountIdentity identity,
        ISnapshotSource source,
        ProxyOptions options,
        ILoggerFactory loggerFactory,
        DecisionLog? decisionLog = null,
        IOriginalDestinationResolver? originalDestination = null,
        IHostResolver? hostResolver = null,
        IReadOnlyList<IPEndPoint>? outboundEndpoints = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _source = source;
        _originalDestination = originalDestination ?? new SoOriginalDestinationResolver();
        _logger = loggerFactory.CreateLogger("Mesh.Proxy");
        Metrics = new ProxyMetrics();
        var log = decisionLog ?? DecisionLog.None;
        Metrics.DecisionLogDropped = () => log.Dropped;
        _context = new ProxyContext(identity, options, new UpstreamConnector(hostResolver ?? new DnsHostResolver(), options.ConnectTimeout),
            Metrics, log, _logger);
        _listener = new OutboundListener(
            outboundEndpoints ?? [new IPEndPoint(IPAddress.Any, options.OutboundPort), new IPEndPoint(IPAddress.IPv6Any, options.OutboundPort)],
            OnAccepted, _logger);
        if (options.ForwardProxyEndpoint is { } forward)
        {
            _forwardProxy = new ForwardProxyListener(forward, _context, hostResolver ?? new DnsHostResolver(),
                (socket, destination, reader) => Spawn(new ConnectionActor(_context, socket, destination, reader)), _logger);
        }
    }

    /// <summary>Where the forward-proxy listener is bound, when it is on.</summary>
    public IPEndPoint? ForwardProxyEndpoint => _forwardProxy?.BoundEndpoint;

    public ServiceAccountIdentity Identity => _context.Identity;

    public ProxyMetrics Metrics { get; }

    /// <summary>The snapshot in force, or null before the first one.</summary>
    public EgressSnapshot? Snapshot => _context.Snapshot;

    /// <summary>Ready once a snapshot for the identity has been applied.</summary>
    public bool IsReady => _context.Snapshot is not null;

    public bool IsAcceptingOutbound => _listener.IsOpen;

    public IReadOnlyList<IPEndPoint> OutboundEndpoints => _listener.BoundEndpoints;

    public Task FirstSnapshotApplied => _firstSnapshot.Task;

    /// <summary>Raised after each snapshot is applied (tests and the admin endpoint use it).</summary>
    public event Action<EgressSnapshot>? SnapshotApplied;

    public void Start()
    {
        _forwardProxy?.Start();
        var subscription = _source.Subscribe(_context.Identity);
        _snapshotLoop = Task.Run(() => FollowSnapshotsAsync(subscription, _stopping.Token));
        _idleSweep = SweepIdleConnectionsAsync(_context.Options.IdleTimeout, _stopping.Token);
    }

    /// <summary>
    /// Tells every connection on which no byte has moved for the idle timeout to close. One timer for the node, checking
    /// at a quarter of the timeout (so a close comes between 1 and 1.25 times it): a timer and a task per connection
    /// cost memory for every idle connection and timer-queue work for every new one.
    /// </summary>
    private async Task SweepIdleConnectionsAsync(TimeSpan limit, CancellationToken ct)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(limit.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var (connection, _) in _connections) // enumerates live, without copying the keys
                {
                    if (connection.IdleFor >= limit) connection.Tell(ConnectionMessage.IdleTimeout.Instance);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the node is stopping
        }
    }

    private async Task FollowSnapshotsAsync(ISnapshotSubscription subscription, CancellationToken ct)
    {
        using (subscription)
        {
            try
            {
                await foreach (var snapshot in subscription.Snapshots.ReadAllAsync(ct)) Apply(snapshot);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }
    }

    internal void Apply(EgressSnapshot snapshot)
    {
        _context.Snapshot = snapshot;
        Metrics.SnapshotVersion = snapshot.Version;
        Metrics.SnapshotAppliedAt = DateTimeOffset.UtcNow;
        _listener.SetOpen(snapshot.CanReachAnything);
        foreach (var issue in snapshot.Issues) ProxyLog.SnapshotIssue(_logger, snapshot.Identity, issue);
        ProxyLog.SnapshotApplied(_logger, snapshot.Version, snapshot.Identity, snapshot.Rules.Count, snapshot.EnableEgress, _listener.IsOpen);
        foreach (var connection in _connections.Keys) connection.Tell(new ConnectionMessage.SnapshotApplied(snapshot));
        _firstSnapshot.TrySetResult();
        SnapshotApplied?.Invoke(snapshot);
    }

    private void OnAccepted(Socket socket)
    {
        var destination = _originalDestination.Resolve(socket);
        if (destination is null || (IPAddress.IsLoopback(destination.Address) && IsSelf(destination)))
        {
            // Not redirected, or redirected to ourselves: forwarding would loop. Fail closed.
            if (_logger.IsEnabled(LogLevel.Warning)) ProxyLog.NoOriginalDestination(_logger, socket.RemoteEndPoint);
            socket.LingerState = new LingerOption(true, 0);
            socket.Dispose();
            return;
        }
        Spawn(new ConnectionActor(_context, socket, destination));
    }

    private void Spawn(ConnectionActor actor)
    {
        // Registered before it runs, so its own removal always finds it. Its first steps (decide, start the sniff read
        // or the upstream connect) run right here on the accept loop until its first wait: no thread-pool hop and no
        // extra task per connection (the connections/s benchmark pays for each).
        _connections[actor] = Task.CompletedTask;
        var run = RunConnectionAsync(actor);
        _connections.TryUpdate(actor, run, Task.CompletedTask); // a no-op when it has ended already
    }

    private async Task RunConnectionAsync(ConnectionActor actor)
    {
        try
        {
            await actor.RunAsync();
        }
        finally
        {
            _connections.TryRemove(actor, out Task? _);
        }
    }

    private bool IsSelf(IPEndPoint destination) =>
        _listener.BoundEndpoints.Any(e => e.Port == destination.Port && (e.Address.Equals(destination.Address) ||
            e.Address.Equals(IPAddress.Any) || e.Address.Equals(IPAddress.IPv6Any)) && IPAddress.IsLoopback(destination.Address));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _listener.DisposeAsync();
        if (_forwardProxy is not null) await _forwardProxy.DisposeAsync();
        foreach (var connection in _connections.Keys) connection.Tell(ConnectionMessage.Stop.Instance);
        await Task.WhenAll(_connections.Values);
        await _snapshotLoop;
        await _idleSweep;
        _stopping.Dispose();
    }
}
