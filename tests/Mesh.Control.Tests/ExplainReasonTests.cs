using Mesh.Policy.Explain;
using Mesh.Policy.Model;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Control.Tests;

/// <summary>The "why not" of each candidate rule, the notes, and what explain says when it lacks the address.</summary>
public sealed class ExplainReasonTests
{
    private static readonly ServiceAccountIdentity Curl = new("curl", "curl");

    private static EgressExplanation Explain(string manifests, string to, string? ip, ExplainTraffic traffic, string? sni = null,
        string method = "GET", string path = "/", KeyValuePair<string, string>[]? headers = null)
    {
        Assert.True(ExplainDestination.TryParse(to, ip, out var destination, out var error), error);
        return DecisionExplainer.Explain(ManifestState.Load(manifests), new ExplainQuery(Curl, destination!, traffic, sni, method, path, headers));
    }

    [Fact]
    public void A_route_mismatch_names_the_route_and_the_failing_part()
    {
        var manifests = Documents(
            Egress("web", "curl/curl", 80, "http", hosts: ["httpbin.org"], routeGroups: ["routes"]),
            RouteGroup("routes", ("get", "/get", ["GET"], [("x-team", "blue")])),
            Egress("tls", "curl/curl", 443, "https", hosts: ["httpbin.org"]));
        var e = Explain(manifests, "httpbin.org:80", "3.4.5.6", ExplainTraffic.Http, method: "POST", path: "/status/200");

        Assert.Equal(ExplainVerdict.NotFound, e.Verdict);
        var web = Assert.Single(e.Candidates);
        Assert.Equal(RuleOutcome.NotApplicable, web.Outcome);
        Assert.Contains("route routes/get", web.Reason, StringComparison.Ordinal);
        Assert.Contains("method POST is not in [GET]", web.Reason, StringComparison.Ordinal);
        Assert.Contains("path /status/200 does not fully match '/get'", web.Reason, StringComparison.Ordinal);
        Assert.Contains("header x-team is missing", web.Reason, StringComparison.Ordinal);
        Assert.Contains(e.OtherPorts, o => o.Rule.Policy.Name == "tls" && o.Reason == "for port 443, not 80");
    }

    [Fact]
    public void The_deciding_rule_and_the_shadowed_and_inapplicable_ones_are_told_apart()
    {
        var manifests = Documents(
            Egress("tls", "curl/curl", 443, "https", hosts: ["httpbin.org"]),
            Egress("tls-other", "curl/curl", 443, "https", hosts: ["example.org"]),
            Egress("tcp", "curl/curl", 443, "tcp"),
            Egress("tcp-ranged", "curl/curl", 443, "tcp", ipAddresses: ["10.0.0.0/8"]),
            Egress("web", "curl/curl", 443, "http", hosts: ["httpbin.org"]));
        var e = Explain(manifests, "httpbin.org:443", "3.4.5.6", ExplainTraffic.Tls, sni: "httpbin.org");

        Assert.Equal(ExplainVerdict.Allowed, e.Verdict);
        Assert.Equal("tls", e.DecidingRule!.Policy.Name);
        var outcomes = e.Candidates.ToDictionary(c => c.Rule.Policy.Name);
        Assert.Equal(RuleOutcome.Decided, outcomes["tls"].Outcome);
        Assert.Contains("SNI 'httpbin.org' matches none of [example.org]", outcomes["tls-other"].Reason, StringComparison.Ordinal);
        Assert.Equal(RuleOutcome.Shadowed, outcomes["tcp"].Outcome);
        Assert.Contains("destination 3.4.5.6 is outside [10.0.0.0/8]", outcomes["tcp-ranged"].Reason, StringComparison.Ordinal);
        Assert.Contains("not HTTP/1", outcomes["web"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_address_ranged_rules_are_unchecked_and_the_verdict_says_so()
    {
        var manifests = Egress("tcp-ranged", "curl/curl", 443, "tcp", ipAddresses: ["10.0.0.0/8"]);
        var e = Explain(manifests, "internal.example.com:443", null, ExplainTraffic.Opaque);

        Assert.True(e.AddressesUnchecked);
        Assert.Equal(ExplainVerdict.Denied, e.Verdict);
        Assert.Equal(RuleOutcome.Unchecked, Assert.Single(e.Candidates).Outcome);
        Assert.Contains("cannot be checked without --ip", e.Candidates[0].Reason, StringComparison.Ordinal);
        Assert.Contains(e.Notes, n => n.Contains("--ip", StringComparison.Ordinal));

        var withIp = Explain(manifests, "internal.example.com:443", "10.1.2.3", ExplainTraffic.Opaque);
        Assert.Equal(ExplainVerdict.Allowed, withIp.Verdict);
        Assert.False(withIp.AddressesUnchecked);
    }

    [Fact]
    public void Missing_route_groups_disabled_policy_and_passthrough_are_explained()
    {
        var missing = Explain(Egress("web", "curl/curl", 80, "http", hosts: ["httpbin.org"], routeGroups: ["gone"]),
            "httpbin.org:80", "3.4.5.6", ExplainTraffic.Http, path: "/get");
        Assert.Equal(ExplainVerdict.NotFound, missing.Verdict);
        Assert.Contains("gone do not exist", missing.Candidates[0].Reason, StringComparison.Ordinal);
        Assert.Contains(missing.Notes, n => n.Contains("HTTPRouteGroup curl/gone does not exist", StringComparison.Ordinal));

        var disabled = Explain(Documents(Egress("web", "curl/curl", 80, "http", hosts: ["httpbin.org"]), MeshConfig(false, enableEgressPolicy: false)),
            "httpbin.org:80", "3.4.5.6", ExplainTraffic.Http, path: "/get");
        Assert.Equal(ExplainVerdict.Refused, disabled.Verdict);
        Assert.Contains(disabled.Notes, n => n.Contains("enableEgressPolicy is false", StringComparison.Ordinal) && n.Contains("curl/web", StringComparison.Ordinal));

        var passthrough = Explain(MeshConfig(enableEgress: true), "anything.org:9000", "1.1.1.1", ExplainTraffic.Opaque);
        Assert.Equal(ExplainVerdict.Allowed, passthrough.Verdict);
        Assert.Null(passthrough.DecidingRule);
        Assert.Contains(passthrough.Notes, n => n.Contains("passthrough) is on", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("httpbin.org", null, false)]
    [InlineData("httpbin.org:0", null, false)]
    [InlineData("httpbin.org:70000", null, false)]
    [InlineData("not a host:80", null, false)]
    [InlineData("httpbin.org:80", "nope", false)]
    [InlineData("10.0.0.1:80", "10.0.0.2", false)]
    [InlineData("[2001:db8::1]:443", null, true)]
    [InlineData("10.0.0.1:80", "10.0.0.1", true)]
    [InlineData("httpbin.org:80", "3.4.5.6", true)]
    public void Destinations_are_parsed_strictly(string to, string? ip, bool valid)
    {
        Assert.Equal(valid, ExplainDestination.TryParse(to, ip, out var destination, out var error));
        Assert.Equal(valid, error is null);
        if (valid) Assert.NotNull(destination!.Address);
    }
}
