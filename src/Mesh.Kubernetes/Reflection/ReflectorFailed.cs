using Mesh.Kubernetes.Catalog;

namespace Mesh.Kubernetes.Reflection;

/// <summary>
/// A list or watch failed, and the reflector will retry after <see cref="RetryIn"/>. <see cref="Message"/> is ready
/// for a log line; for 401/403 it names the verb and resource that are missing (<see cref="IsLoud"/>: log it as an
/// error, the controller cannot work without it). The reflector keeps going on its own; nothing needs restarting.
/// </summary>
public sealed record ReflectorFailed(
    WatchedResource Resource,
    FailureKind Kind,
    string Verb,
    string Message,
    TimeSpan RetryIn,
    int ConsecutiveFailures)
{
    public bool IsLoud => Kind is FailureKind.Unauthorized or FailureKind.Forbidden;
}
