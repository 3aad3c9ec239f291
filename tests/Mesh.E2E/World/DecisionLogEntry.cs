using System.Text.Json;

namespace Mesh.E2E.World;

/// <summary>
/// One line of the proxy's decision log (Mesh.Proxy's DecisionRecord). Kind is "connection" or "request";
/// Destination is the original destination the proxy read from the socket, "ip:port" or "[ipv6]:port".
/// </summary>
public sealed record DecisionLogEntry(
    string Kind, string Destination, string? Sni, string? Host, string? Path, string Verdict, string Reason, string? Rule)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The entry, or null for a line that is not one (operator logs share the kept output).</summary>
    public static DecisionLogEntry? TryParse(string line)
    {
        if (!line.StartsWith('{')) return null;
        try
        {
            return JsonSerializer.Deserialize<DecisionLogEntry>(line, Json) is { Kind: not null, Destination: not null } entry ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Kind} {Destination} sni={Sni} host={Host} {Path}: {Verdict} {Reason} rule={Rule}";
}
