namespace Mesh.Control.Manifests;

/// <summary>
/// When to act on a burst of file events: once the files have been quiet for <c>settle</c>, but never later than
/// <c>maxDelay</c> after the burst began, so an editor saving in a loop cannot hold policy back indefinitely.
/// Times are offsets on one monotonic clock.
/// </summary>
internal sealed class DebounceWindow(TimeSpan settle, TimeSpan maxDelay)
{
    private TimeSpan? _burstStart;
    private TimeSpan _lastEvent;

    public TimeSpan Settle => settle;

    /// <summary>True between the first event of a burst and <see cref="Close"/>.</summary>
    public bool IsOpen => _burstStart is not null;

    public void Touch(TimeSpan now)
    {
        _burstStart ??= now;
        _lastEvent = now;
    }

    /// <summary>How long until the burst is due; zero or negative means now. Zero when no burst is open.</summary>
    public TimeSpan Remaining(TimeSpan now)
    {
        if (_burstStart is not { } start) return TimeSpan.Zero;
        var quiet = _lastEvent + settle;
        var cap = start + maxDelay;
        return (quiet < cap ? quiet : cap) - now;
    }

    public void Close() => _burstStart = null;
}
