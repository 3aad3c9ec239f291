using Mesh.Policy.Decisions;
using static Mesh.Policy.Tests.PolicyWorld;

namespace Mesh.Policy.Tests;

/// <summary>
/// Steps 2 and 4 of egress-semantics.md as issue 14 left them: on a port where the identity has http rules, traffic
/// that cannot be inspected request by request (HTTP/2 prior knowledge, a sniff that ended undecided) is allowed by a
/// tcp rule only, never by passthrough; a silent client there waits for its first bytes; and a rule's host named with
/// another port is still that host.
/// </summary>
public class UninspectableTrafficDecisionTests
{
    private const string Http80 = "  - number: 80\n    protocol: http";
    private const string HttpbinHosts = "  hosts:\n  - httpbin.org";

    private static PolicyWorld World(bool passthrough, string? tcpCidr = null)
    {
        var world = From(MeshConfig(enableEgress: passthrough), Egress("web", Http80, HttpbinHosts));
        if (tcpCidr is not null) world.Apply(Egress("raw", "  - number: 80\n    protocol: tcp", extra: $"  ipAddresses:\n  - {tcpCidr}"));
        return world;
    }

    [Theory]
    [InlineData(SniffedProtocol.Http2Cleartext)]
    [InlineData(SniffedProtocol.Undecided)]
    public void On_an_http_port_passthrough_does_not_allow_what_cannot_be_inspected(SniffedProtocol protocol)
    {
        var decision = World(passthrough: true).Connect("198.18.0.2", 80, protocol);

        Assert.Equal(ConnectionVerdict.Deny, decision.Verdict);
        Assert.Equal(DecisionReason.NotInspectableOnHttpPort, decision.Reason);
    }

    [Theory]
    [InlineData(SniffedProtocol.Http2Cleartext)]
    [InlineData(SniffedProtocol.Undecided)]
    public void On_an_http_port_a_tcp_rule_for_the_destination_allows_it(SniffedProtocol protocol)
    {
        var world = World(passthrough: false, tcpCidr: "198.18.0.4/32");

        var inRange = world.Connect("198.18.0.4", 80, protocol);

        Assert.Equal((ConnectionVerdict.Allow, DecisionReason.TcpRule), (inRange.Verdict, inRange.Reason));
        Assert.Equal(ConnectionVerdict.Deny, world.Connect("198.18.0.2", 80, protocol).Verdict);
    }

    [Theory]
    [InlineData(SniffedProtocol.Http2Cleartext)]
    [InlineData(SniffedProtocol.Undecided)]
    [InlineData(SniffedProtocol.Opaque)]
    public void On_a_port_without_http_rules_passthrough_still_allows_it_as_opaque_tcp(SniffedProtocol protocol)
    {
        var decision = World(passthrough: true).Connect("198.18.0.2", 8443, protocol);

        Assert.Equal((ConnectionVerdict.Allow, DecisionReason.Passthrough), (decision.Verdict, decision.Reason));
    }

    [Fact]
    public void Opaque_bytes_on_an_http_port_follow_passthrough_as_the_contract_says()
    {
        Assert.Equal(ConnectionVerdict.Allow, World(passthrough: true).Connect("198.18.0.2", 80, SniffedProtocol.Opaque).Verdict);
        Assert.Equal(ConnectionVerdict.Deny, World(passthrough: false).Connect("198.18.0.2", 80, SniffedProtocol.Opaque).Verdict);
    }

    [Fact]
    public void Only_ports_with_http_rules_wait_for_a_silent_clients_first_bytes()
    {
        var snapshot = World(passthrough: true, tcpCidr: "10.0.0.0/8").Apply(Egress("tls", "  - number: 443\n    protocol: https")).Snapshot();

        Assert.True(snapshot.WaitsForFirstBytes(80));
        Assert.False(snapshot.WaitsForFirstBytes(443));
        Assert.False(snapshot.WaitsForFirstBytes(8080));
    }

    [Theory]
    [InlineData("httpbin.org:8080", true)]
    [InlineData("HTTPBIN.ORG:81", true)]
    [InlineData("httpbin.org.:8080", true)]
    [InlineData("httpbin.org:80", false)]
    [InlineData("httpbin.org", false)]
    public void A_rule_host_named_with_another_port_is_that_hosts_404_even_under_passthrough(string host, bool mismatch)
    {
        var world = From(MeshConfig(enableEgress: true), Egress("web", Http80, HttpbinHosts));

        var decision = world.Request("198.18.0.2", 80, host, "GET", "/get");

        Assert.Equal(mismatch ? RequestVerdict.NotFound : RequestVerdict.AllowToHost, decision.Verdict);
        if (mismatch) Assert.Equal(DecisionReason.HttpHostPortMismatch, decision.Reason);
    }

    [Fact]
    public void Another_host_with_any_port_still_falls_to_passthrough()
    {
        var world = From(MeshConfig(enableEgress: true), Egress("web", Http80, HttpbinHosts));

        Assert.Equal(RequestVerdict.AllowToOriginalDestination, world.Request("198.18.0.3", 80, "openservicemesh.io:8080", "GET", "/").Verdict);
    }
}
