namespace Mesh.Kubernetes.Reflection;

/// <summary>
/// Cancels a watch that has been silent for the stall bound. Fed on every event; one timer per watch, re-armed,
/// never a task per event.
/// </summary>
internal sealed class StallWatchdog : IDisposable
{
    private readonly TimeSpan _bound;
    private readonly CancellationTokenSource _watch;
    private readonly ITimer _timer;
    private int _fired;

    public StallWatchdog(TimeProvider time, TimeSpan bound, CancellationTokenSource watch)
    {
        _bound = bound;
        _watch = watch;
        _timer = time.CreateTimer(static state => ((StallWatchdog)state!).Fire(), this, bound, Timeout.InfiniteTimeSpan);
    }

    public bool Fired => Volatile.Read(ref _fired) == 1;

    public void Feed() => _timer.Change(_bound, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer.Dispose();

    private void Fire()
    {
        Volatile.Write(ref _fired, 1);
        try
        {
            _watch.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The watch already ended.
        }
    }
}
