using Mesh.Policy.Decisions;
using Mesh.Protocols.Sniffing;
using static Mesh.Policy.Tests.PolicyWorld;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Policy.Tests;

/// <summary>Steps 1, 3, 5, 6 and 7 of egress-semantics.md "Deciding a connection".</summary>
public class ConnectionDecisionTests
{
    [Fact]
    public void Step1_server_first_rule_limited_by_cidr_applies_only_inside_the_range()
    {
        var world = From(Egress("db", "curl/curl", 5432, "tcp-server-first", ipAddresses: ["10.1.0.0/16"]));
        var snapshot = world.Snapshot();
        Assert.Equal(ConnectionVerdict.Allow, snapshot.DecideOnAccept(Ip("10.1.2.3"), 5432).Verdict);
        Assert.Equal(ConnectionVerdict.Sniff, snapshot.DecideOnAccept(Ip("10.2.0.1"), 5432).Verdict);
        Assert.Equal(ConnectionVerdict.Deny, snapshot.DecideSniffed(Ip("10.2.0.1"), 5432, SniffedProtocol.Opaque, "").Verdict);
    }

    [Theory]
    [InlineData("api.example.com", true)]
    [InlineData("API.Example.COM", true)]
    [InlineData("a.b.example.com", true)]
    [InlineData("example.com", false)]
    [InlineData("badexample.com", false)]
    [InlineData("", false)]
    public void Step3_tls_sni_matches_wildcard_hosts_case_insensitively(string sni, bool allowed)
    {
        var world = From(Egress("wild", "curl/curl", 443, "https", hosts: ["*.example.com"]));
        var d = world.Connect("203.0.113.9", 443, SniffedProtocol.Tls, sni);
        Assert.Equal(allowed ? ConnectionVerdict.Allow : ConnectionVerdict.Deny, d.Verdict);
    }

    [Fact]
    public void Step3_https_rule_with_ip_addresses_requires_both_host_and_address()
    {
        var world = From(Egress("h", "curl/curl", 443, "https", hosts: ["httpbin.org"], ipAddresses: ["198.18.0.2"]));
        Assert.Equal(ConnectionVerdict.Allow, world.Connect("198.18.0.2", 443, SniffedProtocol.Tls, "httpbin.org").Verdict);
        Assert.Equal(ConnectionVerdict.Deny, world.Connect("198.18.0.9", 443, SniffedProtocol.Tls, "httpbin.org").Verdict);
    }

    [Fact]
    public void Step3_exact_host_limited_to_other_address_falls_back_to_a_matching_wildcard()
    {
        var world = From(
            Egress("exact", "curl/curl", 443, "https", hosts: ["a.example.com"], ipAddresses: ["192.0.2.1"]),
            Egress("wild", "curl/curl", 443, "https", hosts: ["*.example.com"]));
        var d = world.Connect("198.51.100.7", 443, SniffedProtocol.Tls, "a.example.com");
        Assert.Equal("wild", d.Rule!.Policy.Name);
    }

    [Theory]
    [InlineData("anything.test")]
    [InlineData("")]
    public void Step3_https_rule_without_hosts_matches_any_sni_or_none(string sni)
    {
        var world = From(Egress("any", "curl/curl", 443, "https"));
        var d = world.Connect("198.51.100.7", 443, SniffedProtocol.Tls, sni);
        Assert.Equal((ConnectionVerdict.Allow, DecisionReason.TlsAnyHostRule), (d.Verdict, d.Reason));
    }

    [Fact]
    public void Step3_tls_without_matching_host_falls_to_tcp_rule()
    {
        var world = From(
            SeedManifests.Httpbin443,
            Egress("tcp", "curl/curl", 443));
        var d = world.Connect("198.18.0.3", 443, SniffedProtocol.Tls, "openservicemesh.io");
        Assert.Equal((ConnectionVerdict.Allow, DecisionReason.TcpRule, "tcp"), (d.Verdict, d.Reason, d.Rule!.Policy.Name));
    }

    [Fact]
    public void Https_rule_does_not_admit_plain_tcp_or_http_on_its_port()
    {
        var world = From(SeedManifests.Httpbin443);
        Assert.Equal(ConnectionVerdict.Deny, world.Connect("198.18.0.2", 443, SniffedProtocol.Opaque).Verdict);
        Assert.Equal(ConnectionVerdict.Deny, world.Connect("198.18.0.2", 443, SniffedProtocol.Http1).Verdict);
    }

    [Fact]
    public void Step4_http1_on_a_port_with_http_rules_is_inspected_per_request_but_h2c_is_opaque()
    {
        var world = From(SeedManifests.Httpbin80);
        Assert.Equal(ConnectionVerdict.InspectHttp, world.Connect("198.18.0.2", 80, SniffedProtocol.Http1).Verdict);
        Assert.Equal(ConnectionVerdict.Deny, world.Connect("198.18.0.2", 80, SniffedProtocol.Http2PriorKnowledge).Verdict);
    }

    [Theory]
    [InlineData("10.1.2.3", "narrow")]
    [InlineData("10.9.9.9", "wide")]
    [InlineData("192.0.2.1", "any")]
    [InlineData("2001:db8:1::5", "v6")]
    public void Step5_tcp_picks_the_most_specific_cidr_first(string ip, string expected)
    {
        var world = From(
            Egress("any", "curl/curl", 443),
            Egress("wide", "curl/curl", 443, ipAddresses: ["10.0.0.0/8"]),
            Egress("narrow", "curl/curl", 443, ipAddresses: ["10.1.0.0/16"]),
            Egress("v6", "curl/curl", 443, ipAddresses: ["2001:db8:1::/48"]));
        Assert.Equal(expected, world.Connect(ip, 443, SniffedProtocol.Opaque).Rule!.Policy.Name);
    }

    [Fact]
    public void Step5_tcp_rule_with_ranges_denies_addresses_outside_them()
    {
        var world = From(Egress("r", "curl/curl", 443, ipAddresses: ["10.0.0.0/8", "2001:db8::/32"]));
        Assert.Equal(ConnectionVerdict.Deny, world.Connect("11.0.0.1", 443, SniffedProtocol.Opaque).Verdict);
        Assert.Equal(ConnectionVerdict.Deny, world.Connect("2001:db9::1", 443, SniffedProtocol.Opaque).Verdict);
        Assert.Equal(ConnectionVerdict.Allow, world.Connect("::ffff:10.2.3.4", 443, SniffedProtocol.Opaque).Verdict);
    }

    [Fact]
    public void Step6_passthrough_lets_unmatched_traffic_through_on_any_port()
    {
        var world = From(MeshConfig(enableEgress: true), SeedManifests.Httpbin443);
        Assert.Equal(ConnectionVerdict.Sniff, world.Snapshot().DecideOnAccept(Ip("192.0.2.5"), 22).Verdict);
        var d = world.Connect("192.0.2.5", 22, SniffedProtocol.Opaque);
        Assert.Equal((ConnectionVerdict.Allow, DecisionReason.Passthrough, null), (d.Verdict, d.Reason, d.Rule));
        var tls = world.Connect("198.18.0.2", 443, SniffedProtocol.Tls, "httpbin.org");
        Assert.Equal(DecisionReason.TlsHostRule, tls.Reason); // the policy still decides what it matches
    }

    [Fact]
    public void Step7_no_rule_for_the_port_is_denied_on_accept_without_sniffing()
    {
        var world = From(SeedManifests.Httpbin443);
        var d = world.Snapshot().DecideOnAccept(Ip("198.18.0.2"), 8443);
        Assert.Equal((ConnectionVerdict.Deny, DecisionReason.NoRuleForPort), (d.Verdict, d.Reason));
    }

    [Fact]
    public void Step7_identity_with_nothing_reachable_is_refused()
    {
        var world = From(MeshConfig(false), SeedManifests.Httpbin443);
        var other = new Mesh.Policy.Model.ServiceAccountIdentity("web", "frontend");
        Assert.Equal(ConnectionVerdict.Refuse, world.Connect("198.18.0.2", 443, SniffedProtocol.Tls, "httpbin.org", other).Verdict);
        Assert.True(world.Snapshot().CanReachAnything);
    }

    [Fact]
    public void Disabled_egress_policy_flag_ignores_every_policy()
    {
        var world = From(MeshConfig(enableEgress: false, enableEgressPolicy: false), SeedManifests.Httpbin443);
        Assert.Empty(world.Snapshot().Rules);
        Assert.Equal(ConnectionVerdict.Refuse, world.Connect("198.18.0.2", 443, SniffedProtocol.Tls, "httpbin.org").Verdict);
    }

    [Fact]
    public void A_policy_applies_to_every_listed_source_and_no_other()
    {
        var world = From(Egress("two", "x/a", 443, alsoFor: ["y/b"]));
        Assert.Equal(ConnectionVerdict.Allow, world.Connect("192.0.2.1", 443, SniffedProtocol.Opaque, identity: new("x", "a")).Verdict);
        Assert.Equal(ConnectionVerdict.Allow, world.Connect("192.0.2.1", 443, SniffedProtocol.Opaque, identity: new("y", "b")).Verdict);
        Assert.Equal(ConnectionVerdict.Refuse, world.Connect("192.0.2.1", 443, SniffedProtocol.Opaque, identity: new("x", "b")).Verdict);
    }
}
