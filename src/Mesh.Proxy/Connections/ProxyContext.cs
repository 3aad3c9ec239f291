using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Node;
using Mesh.Proxy.Observability;
using Mesh.Proxy.Transport;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Connections;

/// <summary>
/// What every connection actor of an identity shares: its identity, settings, the current snapshot and the outputs.
/// The snapshot is immutable and published through a volatile reference by the identity actor, its one writer: a
/// flow reads the newest one without a message round trip, as YARP swaps its configuration.
/// </summary>
internal sealed class ProxyContext(
    ServiceAccountIdentity identity,
    ProxyOptions options,
    UpstreamConnector connector,
    ProxyMetrics metrics,
    DecisionLog log,
    ILogger logger)
{
    private volatile EgressSnapshot? _snapshot;
    private volatile IdentityView _view = IdentityView.Starting;

    public ServiceAccountIdentity Identity { get; } = identity;

    public string IdentityText { get; } = identity.ToString();

    public ProxyOptions Options { get; } = options;

    public UpstreamConnector Connector { get; } = connector;

    public ProxyMetrics Metrics { get; } = metrics;

    public DecisionLog Log { get; } = log;

    public ILogger Logger { get; } = logger;

    /// <summary>The node's epoll transport for decided TCP flows; null: they run on .NET's sockets (<c>TcpPump</c>).</summary>
    public EpollTransport? Transport { get; init; }

    /// <summary>What the identity actor shows outside itself, replaced whole after each change.</summary>
    public IdentityView View
    {
        get => _view;
        set => _view = value;
    }

    /// <summary>
    /// The node's connections, for a stop that waits until their flow tasks are gone and for listeners that pause at
    /// the connection limit.
    /// </summary>
    public LiveConnections Live { get; init; } = new();

    /// <summary>The snapshot in force; null until the first one arrives (then everything is refused).</summary>
    public EgressSnapshot? Snapshot
    {
        get => _snapshot;
        set => _snapshot = value;
    }
}
