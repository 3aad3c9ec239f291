namespace Mesh.Control;

/// <summary>Monotonic counters for metrics. Written by the actors, read from any thread.</summary>
public sealed class ControlPlaneCounters
{
    private long _rejections;
    private long _published;
    private long _changes;
    private long _lastPublishTicks;

    /// <summary>Rejections found so far: invalid objects, unreadable files, conflicts (each time a file is read with them).</summary>
    public long RejectionsTotal => Interlocked.Read(ref _rejections);

    /// <summary>Snapshots published to proxies, all identities together.</summary>
    public long SnapshotsPublished => Interlocked.Read(ref _published);

    /// <summary>Object changes the aggregator applied.</summary>
    public long ChangesApplied => Interlocked.Read(ref _changes);

    public DateTimeOffset? LastPublishTime =>
        Interlocked.Read(ref _lastPublishTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    internal void AddRejections(int count) => Interlocked.Add(ref _rejections, count);

    internal void AddChanges(int count) => Interlocked.Add(ref _changes, count);

    internal void Published(DateTimeOffset at)
    {
        Interlocked.Increment(ref _published);
        Interlocked.Exchange(ref _lastPublishTicks, at.UtcTicks);
    }
}
