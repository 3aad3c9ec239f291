using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Mesh.Policy.Snapshots;

namespace Mesh.Proxy.Observability;

/// <summary>
/// The proxy's counters, rendered as Prometheus text at <c>/metrics</c>. Verdict counters are keyed by
/// (verdict, reason, rule) so an operator can see which policy let traffic through or which denial is hit.
/// </summary>
public sealed class ProxyMetrics
{
    // Keyed by the rule itself, not its text: a connection or request then counts without building a string (RuleRef
    // is a record, so equal rules of successive snapshots share a counter).
    private readonly ConcurrentDictionary<(string Kind, string Verdict, string Reason, RuleRef? Rule), long> _verdicts = new();
    private long _accepted;
    private long _active;
    private long _requests;
    private long _bytesUp;
    private long _bytesDown;
    private long _revoked;

    internal LatencyHistogram DecisionLatency { get; } =
        new("mesh_decision_duration_seconds", "Time to decide a connection or request", LatencyHistogram.DecisionBounds);

    internal LatencyHistogram UpstreamConnectLatency { get; } =
        new("mesh_upstream_connect_duration_seconds", "Time to open an upstream connection", LatencyHistogram.ConnectBounds);

    public string SnapshotVersion { get; set; } = "";

    public DateTimeOffset? SnapshotAppliedAt { get; set; }

    public long ActiveConnections => Interlocked.Read(ref _active);

    /// <summary>Decision-log records dropped because the log fell behind (set by the node).</summary>
    internal Func<long> DecisionLogDropped { get; set; } = static () => 0;

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _accepted);
        Interlocked.Increment(ref _active);
    }

    internal void ConnectionClosed(long up, long down)
    {
        Interlocked.Decrement(ref _active);
        Interlocked.Add(ref _bytesUp, up);
        Interlocked.Add(ref _bytesDown, down);
    }

    internal void Revoked() => Interlocked.Increment(ref _revoked);

    internal void Verdict(string kind, string verdict, string reason, RuleRef? rule)
    {
        if (ReferenceEquals(kind, RequestKind)) Interlocked.Increment(ref _requests);
        _verdicts.AddOrUpdate((kind, verdict, reason, rule), 1, static (_, n) => n + 1);
    }

    internal const string ConnectionKind = "connection";

    internal const string RequestKind = "request";

    public string Render(DateTimeOffset now)
    {
        var t = new StringBuilder();
        void Counter(string name, string help, long value) =>
            t.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
        Counter("mesh_connections_total", "Accepted outbound connections", Interlocked.Read(ref _accepted));
        t.Append(CultureInfo.InvariantCulture, $"# HELP mesh_connections_active Open outbound connections\n# TYPE mesh_connections_active gauge\nmesh_connections_active {ActiveConnections}\n");
        Counter("mesh_requests_total", "HTTP requests decided on inspected connections", Interlocked.Read(ref _requests));
        Counter("mesh_decision_log_dropped_total", "Decision-log records dropped because the log writer fell behind", DecisionLogDropped());
        Counter("mesh_connections_revoked_total", "Live connections closed because a new snapshot no longer allowed them", Interlocked.Read(ref _revoked));
        t.Append("# HELP mesh_bytes_total Bytes forwarded (closed connections)\n# TYPE mesh_bytes_total counter\n");
        t.Append(CultureInfo.InvariantCulture, $"mesh_bytes_total{{direction=\"upstream\"}} {Interlocked.Read(ref _bytesUp)}\n");
        t.Append(CultureInfo.InvariantCulture, $"mesh_bytes_total{{direction=\"downstream\"}} {Interlocked.Read(ref _bytesDown)}\n");
        t.Append("# HELP mesh_verdicts_total Decisions by kind, verdict, reason and deciding rule\n# TYPE mesh_verdicts_total counter\n");
        var lines = _verdicts.Select(kv => (Text: $"kind=\"{kv.Key.Kind}\",verdict=\"{kv.Key.Verdict}\",reason=\"{kv.Key.Reason}\",rule=\"{Escape(kv.Key.Rule?.ToString() ?? "")}\"", Count: kv.Value));
        foreach (var (labels, count) in lines.OrderBy(l => l.Text, StringComparer.Ordinal))
        {
            t.Append(CultureInfo.InvariantCulture, $"mesh_verdicts_total{{{labels}}} {count}\n");
        }
        DecisionLatency.WriteTo(t);
        UpstreamConnectLatency.WriteTo(t);
        t.Append(CultureInfo.InvariantCulture, $"# HELP mesh_snapshot_info The applied snapshot\n# TYPE mesh_snapshot_info gauge\nmesh_snapshot_info{{version=\"{SnapshotVersion}\"}} {(SnapshotAppliedAt is null ? 0 : 1)}\n");
        var age = SnapshotAppliedAt is { } at ? (now - at).TotalSeconds : -1;
        t.Append(CultureInfo.InvariantCulture, $"# HELP mesh_snapshot_age_seconds Seconds since the snapshot was applied (-1: none yet)\n# TYPE mesh_snapshot_age_seconds gauge\nmesh_snapshot_age_seconds {age:F3}\n");
        return t.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
