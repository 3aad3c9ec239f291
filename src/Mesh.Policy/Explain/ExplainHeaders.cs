using Mesh.Policy.Snapshots;

namespace Mesh.Policy.Explain;

/// <summary>Request headers from a list, read the way the proxy reads them: case-insensitive names, repeats joined by <c>,</c>.</summary>
public readonly struct ExplainHeaders(IReadOnlyList<KeyValuePair<string, string>> headers) : IRequestHeaders
{
    public bool TryGetValue(string name, out ReadOnlySpan<char> value)
    {
        var values = (headers ?? []).Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        value = values.Count == 0 ? default : string.Join(',', values);
        return values.Count > 0;
    }
}
