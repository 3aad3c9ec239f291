namespace Mesh.Actors;

/// <summary>How an actor stops.</summary>
public enum StopMode
{
    /// <summary>No new messages are accepted; the ones already queued are handled, then the actor stops.</summary>
    Drain,

    /// <summary>The in-flight handler's token is cancelled and queued messages are discarded (counted as dropped).</summary>
    Cancel,
}
