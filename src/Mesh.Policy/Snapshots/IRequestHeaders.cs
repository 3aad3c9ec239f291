namespace Mesh.Policy.Snapshots;

/// <summary>
/// How a request decision reads headers without the policy core knowing the proxy's parser. Names are matched
/// case-insensitively; when a header repeats, implementations return the values joined by <c>,</c> (RFC 9110).
/// </summary>
public interface IRequestHeaders
{
    bool TryGetValue(string name, out ReadOnlySpan<char> value);
}
