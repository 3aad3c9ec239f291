using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Protocols.Sniffing;
using static Mesh.Policy.Tests.PolicyWorld;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Policy.Tests;

/// <summary>Each step of the seed demos (000 passthrough, 002 egress policy) as a decision.</summary>
public class SeedDemoDecisionTests
{
    [Fact]
    public void Passthrough_on_lets_https_to_httpbin_through_and_off_refuses_it()
    {
        var world = From(MeshConfig(enableEgress: true));
        var on = world.Connect("198.18.0.2", 443, SniffedProtocol.Tls, "httpbin.org");
        Assert.Equal(new ConnectionDecision(ConnectionVerdict.Allow, DecisionReason.Passthrough, null), on);

        world.Apply(MeshConfig(enableEgress: false));
        var off = world.Connect("198.18.0.2", 443, SniffedProtocol.Tls, "httpbin.org");
        Assert.Equal(ConnectionVerdict.Refuse, off.Verdict); // curl exit 7
        Assert.False(world.Snapshot().CanReachAnything);
    }

    [Fact]
    public void Http_egress_is_refused_then_allowed_by_httpbin_80_then_refused_after_delete()
    {
        var world = From(MeshConfig(false));
        Assert.Equal(ConnectionVerdict.Refuse, world.Connect("198.18.0.2", 80, SniffedProtocol.Http1).Verdict);

        world.Apply(SeedManifests.Httpbin80);
        var connection = world.Connect("198.18.0.2", 80, SniffedProtocol.Http1);
        Assert.Equal(ConnectionVerdict.InspectHttp, connection.Verdict);
        var request = world.Request("198.18.0.2", 80, "httpbin.org", "HEAD", "/get");
        Assert.Equal(RequestVerdict.AllowToHost, request.Verdict);
        Assert.Equal("httpbin.org", request.UpstreamHost);
        Assert.Equal("Egress curl/httpbin-80 port 80/http", request.Rule!.ToString());

        world.Delete(ResourceKind.Egress, "curl", "httpbin-80");
        Assert.Equal(ConnectionVerdict.Refuse, world.Connect("198.18.0.2", 80, SniffedProtocol.Http1).Verdict);
    }

    [Fact]
    public void Https_egress_by_sni_is_allowed_by_httpbin_443_and_refused_after_delete()
    {
        var world = From(MeshConfig(false));
        Assert.Equal(ConnectionVerdict.Refuse, world.Connect("198.18.0.2", 443, SniffedProtocol.Tls, "httpbin.org").Verdict);
        world.Apply(SeedManifests.Httpbin443);
        var allowed = world.Connect("198.18.0.2", 443, SniffedProtocol.Tls, "httpbin.org");
        Assert.Equal((ConnectionVerdict.Allow, DecisionReason.TlsHostRule), (allowed.Verdict, allowed.Reason));
        Assert.Equal("httpbin-443", allowed.Rule!.Policy.Name);
        world.Delete(ResourceKind.Egress, "curl", "httpbin-443");
        Assert.Equal(ConnectionVerdict.Refuse, world.Connect("198.18.0.2", 443, SniffedProtocol.Tls, "httpbin.org").Verdict);
    }

    [Fact]
    public void Tcp_egress_on_443_lets_any_tls_destination_through_and_refuses_after_delete()
    {
        var world = From(MeshConfig(false));
        Assert.Equal(ConnectionVerdict.Refuse, world.Connect("198.18.0.3", 443, SniffedProtocol.Tls, "openservicemesh.io").Verdict);
        world.Apply(SeedManifests.Tcp443);
        var allowed = world.Connect("198.18.0.3", 443, SniffedProtocol.Tls, "openservicemesh.io");
        Assert.Equal((ConnectionVerdict.Allow, DecisionReason.TcpRule), (allowed.Verdict, allowed.Reason));
        world.Delete(ResourceKind.Egress, "curl", "tcp-443");
        Assert.Equal(ConnectionVerdict.Refuse, world.Connect("198.18.0.3", 443, SniffedProtocol.Tls, "openservicemesh.io").Verdict);
    }

    [Fact]
    public void Tcp_server_first_is_allowed_on_accept_without_sniffing()
    {
        var world = From(MeshConfig(false), Egress("mysql", "curl/curl", 3306, "tcp-server-first"));
        var snapshot = world.Snapshot();
        var decision = snapshot.DecideOnAccept(Ip("198.18.0.4"), 3306);
        Assert.Equal((ConnectionVerdict.Allow, DecisionReason.ServerFirstRule), (decision.Verdict, decision.Reason));
    }

    [Fact]
    public void Route_group_allows_get_gives_404_for_status_and_its_live_update_allows_status()
    {
        var world = From(MeshConfig(false), SeedManifests.RouteGroupAndEgress);
        Assert.Equal(RequestVerdict.AllowToHost, world.Request("198.18.0.2", 80, "httpbin.org", "HEAD", "/get").Verdict);
        var status = world.Request("198.18.0.2", 80, "httpbin.org", "HEAD", "/status/200");
        Assert.Equal((RequestVerdict.NotFound, DecisionReason.HttpNoMatchingRoute), (status.Verdict, status.Reason));

        world.Apply(SeedManifests.RouteGroupUpdated);
        var after = world.Request("198.18.0.2", 80, "httpbin.org", "HEAD", "/status/200");
        Assert.Equal(RequestVerdict.AllowToHost, after.Verdict);
        Assert.Equal("status", after.Route!.Name);
    }
}
