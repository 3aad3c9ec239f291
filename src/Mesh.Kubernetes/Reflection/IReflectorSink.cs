namespace Mesh.Kubernetes.Reflection;

/// <summary>
/// Where a reflector reports. Calls come from the reflector's loop, one at a time and in order; an actor's sink
/// just <c>Tell</c>s each report to itself (the records are immutable). A sink must not block or throw.
/// </summary>
public interface IReflectorSink
{
    void Synced(ReflectorSynced synced);

    void Changed(ReflectorChanged changed);

    void Failed(ReflectorFailed failed);
}
