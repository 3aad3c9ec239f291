namespace Mesh.Actors;

/// <summary>An actor gave up (restarts exhausted, or a child escalated to it); the original cause is the inner exception chain.</summary>
public sealed class ActorEscalationException : Exception
{
    public ActorEscalationException()
    {
    }

    public ActorEscalationException(string message)
        : base(message)
    {
    }

    public ActorEscalationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ActorEscalationException(string actorPath, string reason, Exception cause)
        : base($"Actor '{actorPath}' escalated: {reason}", cause)
    {
        ActorPath = actorPath;
    }

    /// <summary>The actor that gave up.</summary>
    public string ActorPath { get; } = "";
}
