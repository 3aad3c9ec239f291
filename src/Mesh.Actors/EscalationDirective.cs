namespace Mesh.Actors;

/// <summary>A parent's answer when a child gives up (its restarts were exhausted) and escalates.</summary>
public enum EscalationDirective
{
    /// <summary>Default: the parent stops itself (children first) and escalates to its own parent.</summary>
    Escalate,

    /// <summary>Treat it as the parent's own failure: the parent restarts under its own supervision options.</summary>
    Restart,

    /// <summary>The parent carries on; the failed child stays stopped.</summary>
    Ignore,
}
