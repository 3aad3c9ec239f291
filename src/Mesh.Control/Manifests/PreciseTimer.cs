using Akka.Actor;

namespace Mesh.Control.Manifests;

/// <summary>
/// A one-shot timer that tells an actor a message, on the runtime's own timer (about 1 ms late) instead of Akka's
/// scheduler, which fires only on its ticks. The manifest debounce is 50 ms, which needed the 10 ms tick; every process
/// then woke about a thousand times a second while idle (a `mesh controller` with nothing to do: 357 wake-ups a second on
/// the runtime's timer thread and 600 on pool threads at 10 ms, 31 and 132 at 100 ms; 27% of its idle CPU with 100
/// proxies watching it, bench/cluster). With this the processes tick every 100 ms and the debounce stays 50 ms.
/// <para>
/// Unlike Akka's timers, a message already on its way is not withdrawn by <see cref="Start"/> or <see cref="Cancel"/>:
/// the receiver must tolerate one that comes late (the watcher re-checks its debounce window on each).
/// </para>
/// </summary>
internal sealed class PreciseTimer : IDisposable
{
    private readonly Timer _timer;

    /// <param name="target">Told <paramref name="message"/> when the timer fires (from a pool thread: a tell is thread-safe).</param>
    public PreciseTimer(IActorRef target, object message)
    {
        _timer = new Timer(static state =>
        {
            var (to, what) = ((IActorRef, object))state!;
            to.Tell(what, ActorRefs.NoSender);
        }, (target, message), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>(Re)arms the timer to fire once after <paramref name="due"/>.</summary>
    public void Start(TimeSpan due) => _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);

    public void Cancel() => _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer.Dispose();
}
