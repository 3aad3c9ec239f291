using System.Diagnostics.Tracing;

namespace Mesh.InProcessProxies;

/// <summary>
/// How long the runtime took to stop this process's threads for its collections, from its own GC events (suspension
/// begin and end): a collection's pause is the suspension plus the collection itself, and with about two threads per
/// proxy's actor system the first part could be most of it. Read by the host's "gc" answer.
/// </summary>
internal sealed class GcSuspensions : EventListener
{
    private const int SuspendEEEnd = 8;
    private const int SuspendEEBegin = 9;
    private long _suspendingSince;
    private long _suspendedTicks;
    private long _longestTicks;

    public TimeSpan Total => TimeSpan.FromTicks(Interlocked.Read(ref _suspendedTicks));

    public TimeSpan Longest => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

    protected override void OnEventSourceCreated(EventSource source)
    {
        // The runtime's provider; keyword 1 is GC, whose suspension events are informational.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, (EventKeywords)1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        switch (e.EventId)
        {
            case SuspendEEBegin:
                _suspendingSince = e.TimeStamp.Ticks;
                break;
            case SuspendEEEnd when _suspendingSince != 0:
                var took = e.TimeStamp.Ticks - _suspendingSince;
                _suspendingSince = 0;
                Interlocked.Add(ref _suspendedTicks, took);
                if (took > Interlocked.Read(ref _longestTicks)) Interlocked.Exchange(ref _longestTicks, took);
                break;
        }
    }
}
