namespace Mesh.Actors.Tests;

/// <summary>Measures how many handler invocations overlap; a single-reader mailbox must keep it at one.</summary>
internal sealed class ConcurrencyTracker
{
    private int _inside;
    private int _maxConcurrent;
    private int _handled;

    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    public int Handled => Volatile.Read(ref _handled);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _inside);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, now, seen) != seen)
        {
            // retry until the maximum records this value or a larger one
        }
    }

    public void Exit()
    {
        Interlocked.Decrement(ref _inside);
        Interlocked.Increment(ref _handled);
    }
}

internal sealed class TrackingActor(ConcurrencyTracker tracker) : Actor<int>
{
    protected override async ValueTask HandleAsync(int message, CancellationToken cancellationToken)
    {
        tracker.Enter();
        // Yield inside the handler so an overlapping invocation, if the loop allowed one, would have time to enter.
        await Task.Yield();
        tracker.Exit();
    }
}
