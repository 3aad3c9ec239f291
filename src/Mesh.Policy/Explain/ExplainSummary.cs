using Mesh.Policy.Decisions;

namespace Mesh.Policy.Explain;

/// <summary>The one-line verdict printed first.</summary>
internal static class ExplainSummary
{
    public static string Describe(ExplainQuery query, ExplainVerdict verdict, ConnectionDecision connection, RequestDecision? request)
    {
        var what = query.Traffic switch
        {
            ExplainTraffic.Http => $"HTTP {query.Method} {query.PathWithoutQuery} (Host {query.HostHeader})",
            ExplainTraffic.Tls => string.IsNullOrEmpty(query.Sni) ? "TLS without SNI" : $"TLS with SNI {query.Sni}",
            _ => "opaque TCP",
        };
        var word = verdict switch
        {
            ExplainVerdict.Allowed => "ALLOWED",
            ExplainVerdict.Denied => "DENIED",
            ExplainVerdict.Refused => "REFUSED",
            _ => "NOT FOUND (404)",
        };
        var head = $"{word}: {what} from {query.From} to {query.Destination}";
        if (request is { } r)
        {
            return r.Verdict switch
            {
                RequestVerdict.AllowToHost =>
                    $"{head} by {r.Rule}{(r.Route is null ? "" : $" route {r.Route.Group}/{r.Route.Name}")}; forwarded to {r.UpstreamHost ?? query.HostHeader} resolved by DNS",
                RequestVerdict.AllowToOriginalDestination => $"{head} ({r.Reason}{(r.Rule is null ? "" : $", {r.Rule}")}); forwarded to the original destination",
                _ => $"{head}: the proxy answers 404 ({r.Reason})",
            };
        }
        return connection.Verdict switch
        {
            ConnectionVerdict.Allow => $"{head} ({connection.Reason}{(connection.Rule is null ? "" : $", {connection.Rule}")}); forwarded to the original destination",
            ConnectionVerdict.Refuse => $"{head}: the identity can reach nothing, so the connection is refused",
            _ => $"{head}: the connection is reset ({connection.Reason})",
        };
    }
}
