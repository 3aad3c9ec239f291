namespace Mesh.Kubernetes.Reflection;

/// <summary>Why the reflector listed (again).</summary>
public enum RelistReason
{
    /// <summary>The first list after start.</summary>
    Initial,

    /// <summary>The watch's resourceVersion expired (410).</summary>
    Expired,

    /// <summary>A list or watch failed; the reflector lists again so it misses nothing.</summary>
    AfterFailure,
}
