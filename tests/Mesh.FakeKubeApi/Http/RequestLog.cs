namespace Mesh.FakeKubeApi.Http;

/// <summary>Every request the fake answered, in order, for tests to assert on. Thread-safe.</summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RequestRecord> _records = [];

    public IReadOnlyList<RequestRecord> Snapshot()
    {
        lock (_gate) return [.. _records];
    }

    public IReadOnlyList<RequestRecord> Where(string verb, string? resource = null)
    {
        lock (_gate) return _records.Where(r => r.Verb == verb && (resource is null || r.Resource == resource)).ToList();
    }

    public void Clear()
    {
        lock (_gate) _records.Clear();
    }

    internal void Add(RequestRecord record)
    {
        lock (_gate) _records.Add(record);
    }
}
