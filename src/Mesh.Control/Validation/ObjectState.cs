namespace Mesh.Control.Validation;

/// <summary>What became of one object of a manifest file, as <c>kubectl apply</c> would have it.</summary>
public enum ObjectState
{
    /// <summary>Valid; this version is in force.</summary>
    Accepted,

    /// <summary>This version is invalid and was never accepted: the object does not take effect.</summary>
    Rejected,

    /// <summary>This version is invalid; the last accepted version stays in force.</summary>
    RejectedKeepingPrevious,

    /// <summary>The file no longer parses; the version it last defined stays in force.</summary>
    KeptFromUnreadableFile,

    /// <summary>Valid, but an earlier file (by path order) defines the same object, and that one is in force.</summary>
    Shadowed,
}
