using Mesh.Policy.Model;

namespace Mesh.Policy.Explain;

/// <summary>What the client sends first, as the proxy would sniff it.</summary>
public enum ExplainTraffic
{
    /// <summary>Neither TLS nor HTTP/1 (or a server-first protocol): opaque TCP.</summary>
    Opaque,

    /// <summary>A TLS ClientHello, with <see cref="ExplainQuery.Sni"/> as its server name (may be empty).</summary>
    Tls,

    /// <summary>An HTTP/1 request: <see cref="ExplainQuery.Method"/>, <see cref="ExplainQuery.Path"/> and headers.</summary>
    Http,
}

/// <summary>
/// One connection (and for HTTP one request) to explain. For HTTP, a <c>Host</c> entry in <see cref="Headers"/> is
/// the Host header; without one it is the destination host. The path may carry a query string; it is ignored, as the
/// proxy does.
/// </summary>
public sealed record ExplainQuery(
    ServiceAccountIdentity From,
    ExplainDestination Destination,
    ExplainTraffic Traffic,
    string? Sni = null,
    string Method = "GET",
    string Path = "/",
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    public IReadOnlyList<KeyValuePair<string, string>> HeaderList => Headers ?? [];

    /// <summary>The Host header the request carries.</summary>
    public string HostHeader =>
        HeaderList.FirstOrDefault(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value
        ?? Destination.Host
        ?? (Destination.Address is { IsIPv6: true } v6 ? $"[{v6}]" : Destination.Address?.ToString() ?? "");

    /// <summary>The path as the decision sees it: without the query string.</summary>
    public string PathWithoutQuery => Path.Split('?', 2)[0];
}
