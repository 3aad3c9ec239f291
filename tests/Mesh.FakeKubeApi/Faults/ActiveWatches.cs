namespace Mesh.FakeKubeApi.Faults;

/// <summary>The watch streams open right now, so faults can reach them.</summary>
internal sealed class ActiveWatches
{
    private readonly Lock _gate = new();
    private readonly List<ActiveWatch> _open = [];

    public int Count
    {
        get
        {
            lock (_gate) return _open.Count;
        }
    }

    public int CountMatching(FaultMatch? match)
    {
        lock (_gate) return _open.Count(w => (match ?? FaultMatch.Any).Matches("watch", w.Resource, w.Group));
    }

    public ActiveWatch Open(string? resource, string? group, bool stalled)
    {
        var w = new ActiveWatch(resource, group, stalled);
        lock (_gate) _open.Add(w);
        return w;
    }

    public void Close(ActiveWatch w)
    {
        lock (_gate) _open.Remove(w);
    }

    public int Act(FaultMatch? match, Action<ActiveWatch> action)
    {
        List<ActiveWatch> hit;
        lock (_gate) hit = _open.Where(w => (match ?? FaultMatch.Any).Matches("watch", w.Resource, w.Group)).ToList();
        foreach (var w in hit) action(w);
        return hit.Count;
    }
}

/// <summary>One open watch stream and what a test asked of it. The stream's loop reads <see cref="State"/>.</summary>
internal sealed class ActiveWatch(string? resource, string? group, bool stalled)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile WatchState _state = stalled ? WatchState.Stalled : WatchState.Flowing;

    public string? Resource { get; } = resource;

    public string? Group { get; } = group;

    public WatchState State => _state;

    /// <summary>Completes when a test changes the state.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public void Stall() => Set(WatchState.Stalled);

    public void Resume() => Set(WatchState.Flowing);

    public void Cut() => Set(WatchState.Cut);

    public void Expire() => Set(WatchState.Expire);

    private void Set(WatchState state)
    {
        _state = state;
        var old = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }
}

internal enum WatchState
{
    Flowing,
    Stalled,
    Cut,
    Expire,
}
