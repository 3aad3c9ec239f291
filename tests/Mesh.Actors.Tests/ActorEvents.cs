using System.Diagnostics;

namespace Mesh.Actors.Tests;

/// <summary>What test actors report to a probe, so tests observe lifecycles without reaching into actors.</summary>
internal abstract record ActorEvent(string Path)
{
    public long Timestamp { get; } = Stopwatch.GetTimestamp();
}

internal sealed record Started(string Path, int Incarnation) : ActorEvent(Path);

internal sealed record Handled(string Path, int Id, int Count) : ActorEvent(Path);

internal sealed record Crashing(string Path) : ActorEvent(Path);

internal sealed record Waiting(string Path) : ActorEvent(Path);

internal sealed record PostStopped(string Path) : ActorEvent(Path);

internal sealed record ChildEscalated(string Path, string Child) : ActorEvent(Path);
