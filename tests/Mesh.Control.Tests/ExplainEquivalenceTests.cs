using Mesh.Policy.Decisions;
using Mesh.Policy.Explain;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Protocols.Sniffing;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Control.Tests;

/// <summary>
/// The explainer walks rules its own way; the proxy decides through the snapshot's indexes. Over the seed demo's
/// states (002: HTTP, HTTPS, TCP and SMI-route egress) and a denser synthetic one, both must agree on every case.
/// </summary>
public sealed class ExplainEquivalenceTests
{
    // The seed's manifests, step by step (seeds/002: egress policy demo).
    private const string SeedHttpbin80 = SeedManifests.Httpbin80;
    private const string SeedHttpbin443 = SeedManifests.Httpbin443;
    private const string SeedTcp443 = SeedManifests.Tcp443;
    private const string SeedRoutes = SeedManifests.RouteGroupUpdated + "\n---\n" + SeedManifests.Httpbin80WithRoutes;

    private static readonly string Synthetic = Documents(
        Egress("wild-443", "curl/curl", 443, "https", hosts: ["*.example.com", "api.example.com"], ipAddresses: ["10.0.0.0/8"]),
        Egress("any-tls-443", "curl/curl", 443, "https", ipAddresses: ["10.1.0.0/16"]),
        Egress("tcp-443-narrow", "curl/curl", 443, "tcp", ipAddresses: ["10.1.2.0/24", "2001:db8::/32"]),
        Egress("tcp-443-wide", "curl/curl", 443, "tcp", ipAddresses: ["10.0.0.0/8"]),
        Egress("db", "curl/curl", 5432, "tcp-server-first", ipAddresses: ["10.9.0.0/16"]),
        Egress("db-any", "curl/curl", 5432, "tcp"),
        Egress("web", "curl/curl", 80, "http", hosts: ["*.example.com", "httpbin.org"], routeGroups: ["posts", "absent"]),
        Egress("web-all", "curl/curl", 80, "http", hosts: ["open.example.com"]),
        Egress("tcp-80", "curl/curl", 80, "tcp", ipAddresses: ["192.168.0.0/16"]),
        RouteGroup("posts", ("post", "/post(/.*)?", ["POST", "PUT"], [("x-team", "blue|green")]), ("get", "/get", ["*"], null)));

    public static TheoryData<string> States => new()
    {
        "",
        SeedHttpbin80,
        SeedHttpbin443,
        SeedTcp443,
        SeedRoutes,
        Documents(SeedRoutes, SeedHttpbin443, SeedTcp443),
        Documents(SeedRoutes, MeshConfig(enableEgress: true)),
        Synthetic,
        Documents(Synthetic, MeshConfig(enableEgress: true)),
        Documents(Synthetic, MeshConfig(enableEgress: false, enableEgressPolicy: false)),
        Documents(SeedHttpbin80, MeshConfig(enableEgress: true, enableEgressPolicy: false)),
    };

    private static readonly string[] Destinations =
    [
        "httpbin.org:80@3.4.5.6", "httpbin.org:443@3.4.5.6", "api.example.com:443@10.1.2.3", "deep.api.example.com:443@10.200.0.1",
        "open.example.com:80@192.168.1.1", "x.example.com:80@8.8.8.8", "db.internal:5432@10.9.1.1", "db.internal:5432@10.8.1.1",
        "v6.example.com:443@2001:db8::1", "other.org:8080@1.1.1.1", "api.example.com:443@172.16.0.1",
    ];

    private static readonly ExplainQuery[] Shapes =
    [
        Query(ExplainTraffic.Opaque),
        Query(ExplainTraffic.Tls, sni: "<host>"),
        Query(ExplainTraffic.Tls, sni: ""),
        Query(ExplainTraffic.Tls, sni: "evil.org"),
        Query(ExplainTraffic.Http, method: "GET", path: "/get"),
        Query(ExplainTraffic.Http, method: "GET", path: "/status/200?x=1"),
        Query(ExplainTraffic.Http, method: "POST", path: "/post/1", headers: [new("X-Team", "green")]),
        Query(ExplainTraffic.Http, method: "POST", path: "/post", headers: [new("x-team", "red")]),
        Query(ExplainTraffic.Http, method: "DELETE", path: "/post"),
        Query(ExplainTraffic.Http, method: "GET", path: "/get", headers: [new("Host", "httpbin.org:80")]),
        Query(ExplainTraffic.Http, method: "GET", path: "/get", headers: [new("Host", "httpbin.org:8080")]),
        Query(ExplainTraffic.Http, method: "GET", path: "/get", headers: [new("Host", "spoofed.example.com")]),
    ];

    private static ExplainQuery Query(ExplainTraffic traffic, string? sni = null, string method = "GET", string path = "/",
        KeyValuePair<string, string>[]? headers = null) =>
        new(new ServiceAccountIdentity("curl", "curl"), new ExplainDestination(null, null, 1), traffic, sni, method, path, headers);

    [Theory]
    [MemberData(nameof(States))]
    public void The_explained_verdict_equals_the_hot_path_decision(string manifests)
    {
        var state = ManifestState.Load(manifests);
        var cases = 0;
        foreach (var identity in new[] { "curl/curl", "other/nobody" })
        {
            var from = ServiceAccountIdentity.Parse(identity);
            var snapshot = SnapshotCompiler.Compile(state, from);
            foreach (var destinationText in Destinations)
            {
                var at = destinationText.IndexOf('@', StringComparison.Ordinal);
                Assert.True(ExplainDestination.TryParse(destinationText[..at], destinationText[(at + 1)..], out var destination, out _));
                foreach (var shape in Shapes)
                {
                    var query = shape with { From = from, Destination = destination!, Sni = shape.Sni == "<host>" ? destination!.Host : shape.Sni };
                    var explained = DecisionExplainer.Explain(state, query);
                    var (connection, request) = HotPath(snapshot, query);
                    Assert.True(connection == explained.Connection, $"{query}: hot path {connection}, explained {explained.Connection}");
                    // Each side compiled its own snapshot, so routes are compared by name rather than by instance.
                    Assert.True(Same(request, explained.Request), $"{query}: hot path {request}, explained {explained.Request}");
                    Assert.False(explained.AddressesUnchecked);
                    cases++;
                }
            }
        }
        Assert.Equal(2 * Destinations.Length * Shapes.Length, cases);
    }

    private static bool Same(RequestDecision? a, RequestDecision? b) =>
        a is null || b is null
            ? a is null && b is null
            : (a.Value with { Route = null }) == (b.Value with { Route = null }) && a.Value.Route?.Group == b.Value.Route?.Group && a.Value.Route?.Name == b.Value.Route?.Name;

    /// <summary>What the proxy does: decide on accept, sniff, decide again, then per request on an inspected connection.</summary>
    private static (ConnectionDecision, RequestDecision?) HotPath(EgressSnapshot snapshot, ExplainQuery query)
    {
        var address = query.Destination.Address!.Value;
        var port = query.Destination.Port;
        var connection = snapshot.DecideOnAccept(address, port);
        if (connection.Verdict == ConnectionVerdict.Sniff)
        {
            var protocol = query.Traffic switch
            {
                ExplainTraffic.Tls => SniffedProtocol.Tls,
                ExplainTraffic.Http => SniffedProtocol.Http1,
                _ => SniffedProtocol.Opaque,
            };
            connection = snapshot.DecideSniffed(address, port, protocol, query.Sni ?? "");
        }
        if (connection.Verdict != ConnectionVerdict.InspectHttp) return (connection, null);
        var headers = new ExplainHeaders(query.HeaderList);
        return (connection, snapshot.DecideRequest(address, port, query.HostHeader, query.Method, query.PathWithoutQuery, ref headers));
    }
}
