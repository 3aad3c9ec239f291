using Akka.Actor;

namespace Mesh.Proxy.Node;

/// <summary>
/// What an identity actor knows of the controllers that answer it: when it last heard from each (by address), the last
/// sequence each snapshot server stamped, and which controller it prefers to have changes pushed by. Plain state,
/// owned by the one actor.
/// </summary>
/// <param name="forgetAfter">A controller not heard from for this long is no longer a candidate (three re-watches).</param>
internal sealed class SnapshotSources(TimeSpan forgetAfter)
{
    private readonly Dictionary<string, long> _sequences = new(StringComparer.Ordinal);
    private readonly Dictionary<Address, DateTimeOffset> _heardFrom = [];
    private readonly int _salt = Random.Shared.Next();
    private Address? _preferred;

    public DateTimeOffset? LastHeard { get; private set; }

    /// <summary>
    /// Notes an answer from <paramref name="from"/> (a server of incarnation <paramref name="server"/>, stamped
    /// <paramref name="sequence"/>). A push whose sequence skips one of the same server's means one was lost; a
    /// <paramref name="baseline"/> (the server saying the proxy holds its latest) only sets where the count stands: it
    /// pushes other proxies' changes, not necessarily this one's.
    /// </summary>
    /// <returns>True when a push was lost.</returns>
    public bool Heard(Address? from, string? server, long sequence, bool baseline, DateTimeOffset now)
    {
        LastHeard = now;
        if (from is not null) _heardFrom[from] = now;
        if (string.IsNullOrEmpty(server) || sequence <= 0) return false;
        var gap = !baseline && _sequences.TryGetValue(server, out var last) && sequence > last + 1;
        if (sequence > _sequences.GetValueOrDefault(server)) _sequences[server] = sequence;
        return gap;
    }

    /// <summary>
    /// The controller preferred so far while it keeps answering; otherwise the one of those heard from lately with the
    /// highest hash salted per instance, so that proxies spread over the controllers. Null when none was heard lately.
    /// </summary>
    public Address? Preferred(DateTimeOffset now)
    {
        foreach (var (address, heard) in _heardFrom.Where(h => now - h.Value > forgetAfter).ToList()) _heardFrom.Remove(address);
        if (_preferred is not null && _heardFrom.ContainsKey(_preferred)) return _preferred;
        _preferred = _heardFrom.Keys.MaxBy(a => HashCode.Combine(_salt, a.ToString()));
        return _preferred;
    }
}
