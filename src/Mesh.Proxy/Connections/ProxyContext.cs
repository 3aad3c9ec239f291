using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Connections;

/// <summary>What every connection actor of a node shares: its identity, settings, the current snapshot and the outputs.</summary>
internal sealed class ProxyContext(
    ServiceAccountIdentity identity,
    ProxyOptions options,
    UpstreamConnector connector,
    ProxyMetrics metrics,
    DecisionLog log,
    ILogger logger)
{
    private volatile EgressSnapshot? _snapshot;

    public ServiceAccountIdentity Identity { get; } = identity;

    public string IdentityText { get; } = identity.ToString();

    public ProxyOptions Options { get; } = options;

    public UpstreamConnector Connector { get; } = connector;

    public ProxyMetrics Metrics { get; } = metrics;

    public DecisionLog Log { get; } = log;

    public ILogger Logger { get; } = logger;

    /// <summary>The snapshot in force; null until the first one arrives (then everything is refused).</summary>
    public EgressSnapshot? Snapshot
    {
        get => _snapshot;
        set => _snapshot = value;
    }
}
