using Prometheus;

namespace Mesh.Kubernetes.Reflection;

/// <summary>
/// The reflectors' counters, created in the registry the caller passes (a process has one; each test its own, so
/// counts never leak between them). Every reflector rule is counted here, labelled by resource.
/// </summary>
public sealed class ReflectorMetrics
{
    public ReflectorMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Lists = factory.CreateCounter("mesh_kubernetes_lists_total",
            "Complete (re)lists, by resource and reason (initial, expired, after_failure)", ["resource", "reason"]);
        ListPages = factory.CreateCounter("mesh_kubernetes_list_pages_total", "List pages fetched (limit/continue)", ["resource"]);
        Watches = factory.CreateCounter("mesh_kubernetes_watches_total", "Watch requests started", ["resource"]);
        WatchEvents = factory.CreateCounter("mesh_kubernetes_watch_events_total",
            "Watch events received, by type (ADDED, MODIFIED, DELETED, BOOKMARK)", ["resource", "type"]);
        WatchEnds = factory.CreateCounter("mesh_kubernetes_watch_ends_total",
            "Watches ended, by how: closed (by the server), timeout (closed by Mesh after the asked-for timeout), stalled, expired, failed",
            ["resource", "how"]);
        Expired = factory.CreateCounter("mesh_kubernetes_expired_total",
            "410 Gone/Expired answers, by form: http_status, error_event (a Status in the watch stream)", ["resource", "form"]);
        Failures = factory.CreateCounter("mesh_kubernetes_failures_total",
            "List or watch failures, by kind (throttled, server_error, unauthorized, forbidden, not_found, stalled, short_watch, transport, unexpected)",
            ["resource", "kind", "verb"]);
        Backoffs = factory.CreateCounter("mesh_kubernetes_backoffs_total", "Waits before a retry", ["resource"]);
        BackoffSeconds = factory.CreateCounter("mesh_kubernetes_backoff_seconds_total", "Time spent waiting before retries", ["resource"]);
        RelistDeletions = factory.CreateCounter("mesh_kubernetes_relist_deletions_total",
            "Objects found gone by a relist (deleted while the watch was away)", ["resource"]);
        DuplicatesSuppressed = factory.CreateCounter("mesh_kubernetes_duplicates_suppressed_total",
            "Watch events dropped because the cache already had that resourceVersion", ["resource"]);
        Objects = factory.CreateGauge("mesh_kubernetes_objects", "Objects in the reflector's cache", ["resource"]);
    }

    public Counter Lists { get; }

    public Counter ListPages { get; }

    public Counter Watches { get; }

    public Counter WatchEvents { get; }

    public Counter WatchEnds { get; }

    public Counter Expired { get; }

    public Counter Failures { get; }

    public Counter Backoffs { get; }

    public Counter BackoffSeconds { get; }

    public Counter RelistDeletions { get; }

    public Counter DuplicatesSuppressed { get; }

    public Gauge Objects { get; }
}
