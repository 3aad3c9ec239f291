using Microsoft.Extensions.Logging;

namespace Mesh.Actors;

/// <summary>The parent side of supervision: an actor cell, or the actor system at the root.</summary>
internal interface ISupervisor
{
    string Path { get; }

    ILoggerFactory LoggerFactory { get; }

    /// <summary>The child has fully stopped; forget it.</summary>
    void OnChildStopped(IChildActor child);

    /// <summary>The child has stopped and gives up; called after <see cref="OnChildStopped"/>.</summary>
    void OnChildEscalated(IChildActor child, Exception cause);
}
