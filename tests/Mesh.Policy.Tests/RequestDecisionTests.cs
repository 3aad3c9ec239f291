using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using static Mesh.Policy.Tests.PolicyWorld;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Policy.Tests;

/// <summary>Step 4 of egress-semantics.md: per-request HTTP decisions.</summary>
public class RequestDecisionTests
{
    private static string HttpEgress(string name, string host, params string[] groups) =>
        Egress(name, "curl/curl", 80, "http", hosts: [host], routeGroups: groups.Length == 0 ? null : groups);

    [Theory]
    [InlineData("httpbin.org", true)]
    [InlineData("HTTPBIN.ORG", true)]
    [InlineData("httpbin.org:80", true)]
    [InlineData("httpbin.org.", true)]
    [InlineData("httpbin.org:8080", false)]
    [InlineData("evil.org", false)]
    [InlineData("[::1]:80", false)]
    [InlineData("", false)]
    public void Host_must_equal_a_rule_host_with_or_without_the_destination_port(string host, bool allowed)
    {
        var world = From(SeedManifests.Httpbin80);
        var d = world.Request("198.18.0.2", 80, host, "GET", "/get");
        Assert.Equal(allowed ? RequestVerdict.AllowToHost : RequestVerdict.NotFound, d.Verdict);
    }

    [Fact]
    public void Wildcard_host_allows_subdomains_and_leaves_the_upstream_to_the_request_host()
    {
        var world = From(HttpEgress("wild", "*.example.com"));
        var d = world.Request("192.0.2.1", 80, "api.example.com", "GET", "/");
        Assert.Equal((RequestVerdict.AllowToHost, (string?)null), (d.Verdict, d.UpstreamHost));
        Assert.Equal(RequestVerdict.NotFound, world.Request("192.0.2.1", 80, "example.com", "GET", "/").Verdict);
    }

    [Theory]
    [InlineData("/get", true)]
    [InlineData("/getx", false)]
    [InlineData("/x/get", false)]
    [InlineData("/status/418", true)]
    [InlineData("/status", true)]
    public void Path_regex_is_a_full_match(string path, bool allowed)
    {
        var world = From(RouteGroup("g", ("get", "/get"), ("status", "/status.*")), HttpEgress("e", "httpbin.org", "g"));
        Assert.Equal(allowed ? RequestVerdict.AllowToHost : RequestVerdict.NotFound,
            world.Request("198.18.0.2", 80, "httpbin.org", "GET", path).Verdict);
    }

    [Theory]
    [InlineData(new[] { "GET", "POST" }, "POST", true)]
    [InlineData(new[] { "GET", "POST" }, "DELETE", false)]
    [InlineData(new[] { "*" }, "DELETE", true)]
    [InlineData(new string[0], "PATCH", true)]
    [InlineData(new[] { "get" }, "GET", true)]
    public void Methods_list_contains_the_method_or_is_star_or_empty(string[] methods, string method, bool allowed)
    {
        var world = From(RouteGroup("g", ("m", null, methods, null)), HttpEgress("e", "httpbin.org", "g"));
        Assert.Equal(allowed, world.Request("198.18.0.2", 80, "httpbin.org", method, "/any").Verdict == RequestVerdict.AllowToHost);
    }

    [Fact]
    public void Every_listed_header_must_match_its_regex_in_full()
    {
        var world = From(
            RouteGroup("g", ("h", null, null, [("x-team", "ops|dev"), ("user-agent", "curl/.*")])),
            HttpEgress("e", "httpbin.org", "g"));
        RequestVerdict Ask(params (string, string)[] h) => world.Request("198.18.0.2", 80, "httpbin.org", "GET", "/", h).Verdict;
        Assert.Equal(RequestVerdict.AllowToHost, Ask(("X-Team", "ops"), ("User-Agent", "curl/8.0")));
        Assert.Equal(RequestVerdict.NotFound, Ask(("X-Team", "ops")));
        Assert.Equal(RequestVerdict.NotFound, Ask(("X-Team", "opsx"), ("User-Agent", "curl/8.0")));
    }

    [Fact]
    public void A_pathological_pattern_that_runs_out_of_time_matches_nothing()
    {
        var world = From(RouteGroup("g", ("slow", "/(a+)+b")), HttpEgress("e", "httpbin.org", "g"));
        var path = "/" + new string('a', 40) + "c";
        Assert.Equal(RequestVerdict.NotFound, world.Request("198.18.0.2", 80, "httpbin.org", "GET", path).Verdict);
        Assert.Equal(RequestVerdict.AllowToHost, world.Request("198.18.0.2", 80, "httpbin.org", "GET", "/aab").Verdict);
    }

    [Fact]
    public void Several_route_groups_and_policies_for_one_host_are_a_union()
    {
        var world = From(
            RouteGroup("a", ("a", "/a")),
            RouteGroup("b", ("b", "/b")),
            HttpEgress("e1", "httpbin.org", "a"),
            HttpEgress("e2", "httpbin.org", "b"));
        Assert.Equal("e1", world.Request("198.18.0.2", 80, "httpbin.org", "GET", "/a").Rule!.Policy.Name);
        Assert.Equal("e2", world.Request("198.18.0.2", 80, "httpbin.org", "GET", "/b").Rule!.Policy.Name);
        Assert.Equal(RequestVerdict.NotFound, world.Request("198.18.0.2", 80, "httpbin.org", "GET", "/c").Verdict);
    }

    [Fact]
    public void A_missing_route_group_allows_nothing_until_it_appears_and_is_reported()
    {
        var world = From(HttpEgress("e", "httpbin.org", "later"));
        var snapshot = world.Snapshot();
        Assert.Contains(snapshot.Issues, i => i.Contains("HTTPRouteGroup curl/later does not exist", StringComparison.Ordinal));
        Assert.Equal(RequestVerdict.NotFound, world.Request("198.18.0.2", 80, "httpbin.org", "GET", "/").Verdict);
        world.Apply(RouteGroup("later", ("all", "/.*")));
        Assert.Equal(RequestVerdict.AllowToHost, world.Request("198.18.0.2", 80, "httpbin.org", "GET", "/").Verdict);
    }

    [Fact]
    public void Routes_are_enforced_even_when_passthrough_is_on_but_unknown_hosts_pass_through()
    {
        var world = From(MeshConfig(enableEgress: true), SeedManifests.RouteGroupAndEgress);
        Assert.Equal(RequestVerdict.NotFound, world.Request("198.18.0.2", 80, "httpbin.org", "GET", "/status/200").Verdict);
        var other = world.Request("198.18.0.7", 80, "example.net", "GET", "/anything");
        Assert.Equal((RequestVerdict.AllowToOriginalDestination, DecisionReason.Passthrough), (other.Verdict, other.Reason));
    }

    [Fact]
    public void Unknown_host_on_a_port_that_also_has_a_tcp_rule_goes_to_the_original_destination()
    {
        var world = From(SeedManifests.Httpbin80, Egress("tcp80", "curl/curl", 80));
        var d = world.Request("192.0.2.8", 80, "example.net", "GET", "/");
        Assert.Equal((RequestVerdict.AllowToOriginalDestination, "tcp80"), (d.Verdict, d.Rule!.Policy.Name));
    }

    [Fact]
    public void A_policy_without_route_matches_allows_every_request_to_its_host()
    {
        var world = From(SeedManifests.Httpbin80);
        var d = world.Request("198.18.0.2", 80, "httpbin.org", "DELETE", "/anything/at/all");
        Assert.Equal((RequestVerdict.AllowToHost, DecisionReason.HttpAllowedByHost), (d.Verdict, d.Reason));
    }

    [Fact]
    public void Snapshot_of_another_namespace_route_group_name_does_not_resolve_across_namespaces()
    {
        var other = RouteGroup("g", ("all", "/.*")).Replace("namespace: curl", "namespace: other", StringComparison.Ordinal);
        var world = From(other, HttpEgress("e", "httpbin.org", "g"));
        Assert.Equal(RequestVerdict.NotFound, world.Request("198.18.0.2", 80, "httpbin.org", "GET", "/").Verdict);
        Assert.Single(world.Snapshot().Rules.Single(r => r.Ref.Protocol == EgressProtocol.Http).MissingRouteGroups);
    }
}
