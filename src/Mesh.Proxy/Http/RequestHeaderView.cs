using System.Text;
using Mesh.Policy.Snapshots;
using Mesh.Protocols.Http;

namespace Mesh.Proxy.Http;

/// <summary>
/// Lets route matches read the parsed request's headers. Only headers a route names are ever decoded, so a request
/// whose routes match no header costs nothing here. Repeated headers are joined with ',' (RFC 9110 §5.3).
/// </summary>
internal readonly struct RequestHeaderView(HttpRequestHead head) : IRequestHeaders
{
    public bool TryGetValue(string name, out ReadOnlySpan<char> value)
    {
        var headers = head.Headers;
        string? joined = null;
        for (var i = 0; i < headers.Count; i++)
        {
            if (!Ascii.EqualsIgnoreCase(headers.GetName(i), name)) continue;
            var text = Encoding.Latin1.GetString(headers.GetValue(i));
            joined = joined is null ? text : $"{joined},{text}";
        }
        value = joined;
        return joined is not null;
    }
}
