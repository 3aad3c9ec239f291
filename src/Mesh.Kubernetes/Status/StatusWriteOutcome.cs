namespace Mesh.Kubernetes.Status;

/// <summary>What a status write did.</summary>
public enum StatusWriteOutcome
{
    /// <summary>The condition was already as wanted: nothing was written.</summary>
    Unchanged,

    /// <summary>The condition was written.</summary>
    Written,

    /// <summary>The object no longer exists: nothing to write.</summary>
    ObjectGone,
}
