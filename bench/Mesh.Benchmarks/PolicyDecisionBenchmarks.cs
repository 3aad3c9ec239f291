using System.Text;
using BenchmarkDotNet.Attributes;
using Mesh.Policy.Decisions;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;
using Mesh.Protocols.Sniffing;

namespace Mesh.Benchmarks;

/// <summary>
/// Connection and request decisions against one identity's snapshot holding N policies (a quarter each: http with
/// routes, https by exact host, tcp with a /24 range, https by wildcard). Targets (issue 2): ≤ 200 ns per connection
/// decision and ≤ 1 µs per request decision at 10,000 policies, with no allocation.
/// </summary>
[MemoryDiagnoser]
public class PolicyDecisionBenchmarks
{
    private EgressSnapshot _snapshot = null!;
    private NetAddress _tcpDestination;
    private NetAddress _tlsDestination;
    private string _sni = "";
    private string _wildcardSni = "";
    private string _httpHost = "";

    [Params(10, 1_000, 10_000)]
    public int Policies { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = BenchmarkPolicies.Compile(Policies);

        var mid = Policies / 2 / 4 * 4;
        _httpHost = $"h{mid}.example.com";
        _sni = $"s{mid + 1}.example.org";
        _wildcardSni = $"api.v2.w{mid + 3}.net";
        _tcpDestination = NetAddress.Parse($"10.{(mid + 2) / 256 % 256}.{(mid + 2) % 256}.77");
        _tlsDestination = NetAddress.Parse("198.18.0.2");
        TcpPort = 1000 + ((mid + 2) % 5000);
    }

    private int TcpPort { get; set; }

    [Benchmark]
    public ConnectionDecision ConnectionTlsExactSni() => Connect(_tlsDestination, 443, SniffedProtocol.Tls, _sni);

    [Benchmark]
    public ConnectionDecision ConnectionTlsWildcardSni() => Connect(_tlsDestination, 443, SniffedProtocol.Tls, _wildcardSni);

    [Benchmark]
    public ConnectionDecision ConnectionTcpCidr() => Connect(_tcpDestination, TcpPort, SniffedProtocol.Opaque, "");

    [Benchmark]
    public ConnectionDecision ConnectionDeniedUnknownPort() => Connect(_tlsDestination, 9, SniffedProtocol.Opaque, "");

    [Benchmark]
    public RequestDecision RequestRouteWithHeader()
    {
        var headers = new OneHeader("user-agent", "curl/8.5.0");
        return _snapshot.DecideRequest(_tlsDestination, 80, _httpHost, "GET", "/status/200", ref headers);
    }

    [Benchmark]
    public RequestDecision RequestRouteNotFound()
    {
        var headers = new OneHeader("user-agent", "curl/8.5.0");
        return _snapshot.DecideRequest(_tlsDestination, 80, _httpHost, "POST", "/post", ref headers);
    }

    private ConnectionDecision Connect(NetAddress destination, int port, SniffedProtocol protocol, string sni)
    {
        var first = _snapshot.DecideOnAccept(destination, port);
        return first.Verdict == ConnectionVerdict.Sniff ? _snapshot.DecideSniffed(destination, port, protocol, sni) : first;
    }

    private readonly struct OneHeader(string name, string value) : IRequestHeaders
    {
        public bool TryGetValue(string n, out ReadOnlySpan<char> v)
        {
            var found = string.Equals(n, name, StringComparison.OrdinalIgnoreCase);
            v = found ? value : default;
            return found;
        }
    }
}
