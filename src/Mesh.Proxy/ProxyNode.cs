using System.Net;
using Akka.Actor;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Listeners;
using Mesh.Proxy.Node;
using Mesh.Proxy.Observability;
using Mesh.Proxy.Transport;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy;

/// <summary>
/// One identity served by a proxy node, as its host sees it: <see cref="StartAsync"/> asks the node's root actor
/// (<see cref="CreateRoot"/>, <c>/user/proxy</c>) for an <see cref="IdentityActor"/> fed by a snapshot source, and
/// this object reads what that actor shows (<see cref="View"/>) and stops it.
/// </summary>
public sealed class ProxyNode : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);
    private readonly ProxyContext _context;
    private readonly IActorRef _actor;

    private ProxyNode(ProxyContext context, IActorRef actor)
    {
        _context = context;
        _actor = actor;
    }

    public ServiceAccountIdentity Identity => _context.Identity;

    /// <summary>The identity actor (tests talk to it as a snapshot source would).</summary>
    internal IActorRef Actor => _actor;

    public ProxyMetrics Metrics => _context.Metrics;

    /// <summary>The identity's state as its actor last published it.</summary>
    public IdentityView View => _context.View;

    /// <summary>The snapshot in force, or null before the first one.</summary>
    public EgressSnapshot? Snapshot => View.Snapshot;

    /// <summary>Ready once a snapshot for the identity has been applied.</summary>
    public bool IsReady => View.Snapshot is not null;

    public bool IsAcceptingOutbound => View.AcceptingOutbound;

    public IReadOnlyList<IPEndPoint> OutboundEndpoints => View.OutboundEndpoints;

    /// <summary>Where the forward-proxy listener is bound, when it is on.</summary>
    public IPEndPoint? ForwardProxyEndpoint => View.ForwardProxyEndpoint;

    /// <summary>The node's root actor, to be created once per actor system (named <c>proxy</c> by default).</summary>
    public static IActorRef CreateRoot(IActorRefFactory system, string name = ProxyNodeActor.Name) =>
        system.ActorOf(ProxyNodeActor.Props(), name);

    /// <param name="root">The node's root actor (<see cref="CreateRoot"/>).</param>
    /// <param name="source">Where snapshots are watched: the control plane's snapshot server, in process or remote.</param>
    /// <exception cref="InvalidOperationException">The node already serves <paramref name="identity"/>.</exception>
    public static async Task<ProxyNode> StartAsync(
        IActorRef root,
        ServiceAccountIdentity identity,
        IActorRef source,
        ProxyOptions options,
        ProxyMetrics metrics,
        ILoggerFactory loggerFactory,
        DecisionLog? decisionLog = null,
        IOriginalDestinationResolver? originalDestination = null,
        IHostResolver? hostResolver = null,
        IReadOnlyList<IPEndPoint>? outboundEndpoints = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var hosts = hostResolver ?? new DnsHostResolver();
        // Cached for upstream connections only: their names were chosen by an allowing decision. The forward-proxy
        // listener resolves whatever names its clients send, before deciding: those must not churn the cache.
        var upstreamHosts = hostResolver ?? new CachingHostResolver(hosts, options.DnsCacheTtl, TimeProvider.System);
        var transport = options.TcpTransport == TcpTransport.Epoll && EpollNative.Supported
            ? new EpollTransport(options.EpollThreads, metrics.UpstreamConnectLatency)
            : null;
        var context = new ProxyContext(identity, options, new UpstreamConnector(upstreamHosts, options.ConnectTimeout), metrics,
            decisionLog ?? DecisionLog.None, loggerFactory.CreateLogger("Mesh.Proxy"))
        {
            Transport = transport,
            Live = new LiveConnections(options.MaxConnections ?? LiveConnections.AutoLimit()),
        };
        var props = IdentityActor.Props(context, source, originalDestination ?? new SoOriginalDestinationResolver(), hosts,
            outboundEndpoints ?? [new IPEndPoint(IPAddress.Any, options.OutboundPort), new IPEndPoint(IPAddress.IPv6Any, options.OutboundPort)]);
        IdentityServed served;
        try
        {
            served = await root.Ask<IdentityServed>(new ServeIdentity(IdentityActor.NameOf(identity), props), StopLimit);
        }
        catch
        {
            transport?.Dispose(); // nothing runs on it yet: its loop thread would outlive the failed start
            throw;
        }
        if (!served.Created)
        {
            // The running actor holds its own context: a node over this one would show a view no actor updates.
            transport?.Dispose();
            throw new InvalidOperationException($"{identity} is already served by the proxy node {root.Path}; stop it before serving it again.");
        }
        return new ProxyNode(context, served.IdentityActor);
    }

    /// <summary>Stops serving: closes the listeners and every connection, and waits until their flows have ended.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _actor.GracefulStop(StopLimit);
        }
        catch (TaskCanceledException)
        {
            // it did not stop within the limit: its connections are being closed anyway
        }
        try
        {
            await _context.Live.WhenDrainedAsync().WaitAsync(StopLimit);
        }
        finally
        {
            _context.Transport?.Dispose(); // after the flows: each aborted through its loop
        }
    }
}
