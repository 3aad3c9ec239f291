namespace Mesh.Actors;

/// <summary>The live children of a supervisor. Children remove themselves from other threads, hence the lock.</summary>
internal sealed class ChildActors
{
    private readonly List<IChildActor> _children = [];
    private readonly Lock _lock = new();

    public void Add(IChildActor child)
    {
        lock (_lock)
            _children.Add(child);
    }

    public void Remove(IChildActor child)
    {
        lock (_lock)
            _children.Remove(child);
    }

    public Task StopAllAsync(StopMode mode)
    {
        IChildActor[] snapshot;
        lock (_lock)
            snapshot = [.. _children];
        return snapshot.Length == 0 ? Task.CompletedTask : Task.WhenAll(snapshot.Select(child => child.StopAsync(mode)));
    }
}
