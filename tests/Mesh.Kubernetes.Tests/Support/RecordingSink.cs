using Mesh.Kubernetes.Reflection;

namespace Mesh.Kubernetes.Tests.Support;

/// <summary>The consumer side of a reflector in tests: keeps every report, in order (thread-safe).</summary>
internal sealed class RecordingSink : IReflectorSink
{
    private readonly Lock _gate = new();
    private readonly List<object> _reports = [];

    public IReadOnlyList<object> Reports
    {
        get
        {
            lock (_gate) return [.. _reports];
        }
    }

    public IReadOnlyList<ReflectorSynced> Syncs => Reports.OfType<ReflectorSynced>().ToList();

    public IReadOnlyList<ReflectorChanged> Changes => Reports.OfType<ReflectorChanged>().ToList();

    public IReadOnlyList<ReflectorFailed> Failures => Reports.OfType<ReflectorFailed>().ToList();

    public void Synced(ReflectorSynced synced)
    {
        lock (_gate) _reports.Add(synced);
    }

    public void Changed(ReflectorChanged changed)
    {
        lock (_gate) _reports.Add(changed);
    }

    public void Failed(ReflectorFailed failed)
    {
        lock (_gate) _reports.Add(failed);
    }

    /// <summary>The objects the consumer would hold now: replaying every report in order.</summary>
    public IReadOnlyDictionary<string, string> State()
    {
        var state = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in Reports)
        {
            switch (r)
            {
                case ReflectorSynced s:
                    state.Clear();
                    foreach (var o in s.Objects) state[o.Key.ToString()] = o.ResourceVersion;
                    break;
                case ReflectorChanged { Change: { Type: ChangeType.Deleted } c }:
                    state.Remove(c.Item.Key.ToString());
                    break;
                case ReflectorChanged c:
                    state[c.Change.Item.Key.ToString()] = c.Change.Item.ResourceVersion;
                    break;
            }
        }
        return state;
    }
}
