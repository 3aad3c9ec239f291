namespace Mesh.Proxy.Connections;

/// <summary>
/// How many flow tasks of a node are still running. A stopping node stops its connection actors, whose flow tasks
/// then unwind on their own threads; its host waits for this to drain so nothing outlives the node.
/// </summary>
internal sealed class LiveConnections
{
    private int _count;
    private TaskCompletionSource? _drained;

    public int Count => Volatile.Read(ref _count);

    public void Opened() => Interlocked.Increment(ref _count);

    public void Closed()
    {
        if (Interlocked.Decrement(ref _count) == 0) Volatile.Read(ref _drained)?.TrySetResult();
    }

    /// <summary>Completes once no flow task runs (at once when none does).</summary>
    public Task WhenDrainedAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (Count == 0) drained.TrySetResult();
        return drained.Task;
    }
}
