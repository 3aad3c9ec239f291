using System.Text;
using System.Text.Json;

using Mesh.Proxy.Tests.Support;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Proxy.Tests;

/// <summary>Metrics and the decision log name the verdict and the rule that decided it.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task Metrics_count_verdicts_by_deciding_rule_and_the_decision_log_has_a_json_line_per_connection_and_request()
    {
        using var cts = Net.Deadline();
        var ct = cts.Token;
        await using var echo = TcpOrigin.Echo();
        await using var web = new HttpOrigin();
        await using var proxy = await ProxyHarness.StartAsync();
        var tcpRule = $"Egress curl/echo port {echo.Port}/tcp";
        var httpRule = $"Egress curl/httpbin port {web.Port}/http";
        await proxy.PublishAsync(
            Egress("echo", "curl/curl", echo.Port, "tcp"),
            RouteGroup("routes", ("allowed", "/allowed.*")),
            Egress("httpbin", "curl/curl", web.Port, "http", ["httpbin.org"], routeGroups: ["routes"]));

        using (var client = await proxy.ConnectAsync(echo.Endpoint, ct))
        {
            await Net.SendAsync(client, "{12345}", ct);
            await Net.ReceiveExactAsync(client, 7, ct);
            client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            Assert.Empty(await Net.ReceiveToEndAsync(client, ct));
        }
        using (var connection = new HttpConnection(await proxy.ConnectAsync(web.Endpoint, ct)))
        {
            await connection.SendAsync($"GET /allowed/log HTTP/1.1\r\nHost: httpbin.org\r\n\r\nGET /secret HTTP/1.1\r\nHost: httpbin.org\r\n\r\n", ct);
            Assert.Equal(200, (await connection.ReadResponseAsync(ct)).Status);
            Assert.Equal(404, (await connection.ReadResponseAsync(ct)).Status);
        }

        var metrics = await proxy.Node.Metrics.RenderAsync();
        Assert.Contains($"mesh_verdicts_total{{identity=\"curl/curl\",kind=\"connection\",verdict=\"Allow\",reason=\"TcpRule\",rule=\"{tcpRule}\"}} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("mesh_verdicts_total{identity=\"curl/curl\",kind=\"connection\",verdict=\"InspectHttp\",reason=\"HttpRulesOnPort\",rule=\"\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"mesh_verdicts_total{{identity=\"curl/curl\",kind=\"request\",verdict=\"AllowToHost\",reason=\"HttpAllowedByRoute\",rule=\"{httpRule}\"}} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("mesh_verdicts_total{identity=\"curl/curl\",kind=\"request\",verdict=\"NotFound\",reason=\"HttpNoMatchingRoute\",rule=\"\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("mesh_requests_total{identity=\"curl/curl\"} 2\n", metrics, StringComparison.Ordinal);

        // Lines are written in the background, a request's after its response and a connection's when it ends: poll
        // for all three rather than sleeping.
        await Eventually.TrueAsync(() => Records(proxy) is var lines && lines.Any(r => r.Kind == "connection") && lines.Count(r => r.Kind == "request") == 2);
        var records = Records(proxy);
        var connectionLine = Assert.Single(records, r => r.Kind == "connection");
        Assert.Equal(("Allow", "TcpRule", tcpRule), (connectionLine.Verdict, connectionLine.Reason, connectionLine.Rule));
        Assert.Equal(echo.Endpoint.ToString(), connectionLine.Destination);
        Assert.Equal("curl/curl", connectionLine.Identity);
        Assert.Equal((7L, 7L), (connectionLine.BytesUp, connectionLine.BytesDown));

        var allowed = Assert.Single(records, r => r.Kind == "request" && r.Path == "/allowed/log");
        Assert.Equal(("AllowToHost", "HttpAllowedByRoute", httpRule, "httpbin.org", "GET"), (allowed.Verdict, allowed.Reason, allowed.Rule, allowed.Host, allowed.Method));
        var denied = Assert.Single(records, r => r.Kind == "request" && r.Path == "/secret");
        Assert.Equal(("NotFound", "HttpNoMatchingRoute", null, "httpbin.org"), (denied.Verdict, denied.Reason, denied.Rule, denied.Host));
    }

    private static List<Line> Records(ProxyHarness proxy) =>
        [.. proxy.DecisionLines().Select(l => JsonSerializer.Deserialize<Line>(l, JsonOptions)!)];

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record Line(
        string Kind, string Identity, string Destination, string? Sni, string? Host, string? Method, string? Path,
        string Verdict, string Reason, string? Rule, long BytesUp, long BytesDown, double DurationMs);
}
