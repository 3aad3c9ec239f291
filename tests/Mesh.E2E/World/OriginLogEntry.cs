namespace Mesh.E2E.World;

/// <summary>
/// One line of the origin's log (see Mesh.E2E.Origin): Event is "connection" (at accept, before TLS) or
/// "request"; Listener is "http", "https" or "server-first"; endpoints are "ip:port" or "[ipv6]:port".
/// </summary>
public sealed record OriginLogEntry(
    string Event,
    string Listener,
    string? Remote,
    string? Local,
    string? Sni,
    string? Host,
    string? Method,
    string? Path,
    string? Protocol,
    int? Status,
    DateTimeOffset Time)
{
    public override string ToString() =>
        $"{Event} {Listener} {Remote} -> {Local} sni={Sni} host={Host} {Method} {Path} {Protocol} {Status}";
}
