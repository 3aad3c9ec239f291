using Akka.Actor;
using Mesh.Control.Aggregation;
using Mesh.Control.Publishing;
using Mesh.Control.Sources;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.State;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit.Abstractions;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Control.Tests;

/// <summary>
/// The aggregator with several sources, alone: this test actor is its parent (the control plane) and a probe its
/// snapshot server. It must publish nothing, and say nothing of readiness, until every source has sent its first
/// resync; and a resync must reconcile only the kinds its source owns.
/// </summary>
public sealed class PolicyAggregatorSyncTests(ITestOutputHelper output) : MeshTestKit(output)
{
    private static readonly ServiceAccountIdentity CurlA = ServiceAccountIdentity.Parse("curl/a");

    private static SourceDefinition Source(string name, bool enrollment = false, params ResourceKind[] kinds) =>
        new(name, _ => Props.Create(() => new Idle()), new HashSet<ResourceKind>(kinds), enrollment);

    private static MeshResource Load(string manifest) => Assert.Single(ManifestLoader.LoadText(manifest, "test.yaml").Resources);

    private async Task<(IActorRef Aggregator, Akka.TestKit.TestProbe Server)> StartAsync(ClusterState? lastApplied = null)
    {
        var server = CreateTestProbe("server");
        var sources = new[]
        {
            Source("egresses", false, ResourceKind.Egress),
            Source("routes", false, ResourceKind.HttpRouteGroup),
            Source("namespaces", enrollment: true),
        };
        var metrics = new ControlPlaneMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        var aggregator = await ChildActorOfAsync(PolicyAggregator.Props(server.Ref, ClusterState.DefaultMeshConfigKey, sources, metrics, NullLoggerFactory.Instance));
        await ExpectMsgAsync<GetLastApplied>();
        LastSender.Tell(new LastAppliedResponse(lastApplied));
        await server.ExpectMsgAsync<ResendWatchedIdentities>();
        aggregator.Tell(new TrackIdentity(CurlA));
        return (aggregator, server);
    }

    [Fact]
    public async Task Nothing_is_published_nor_reported_ready_until_every_source_has_resynced()
    {
        var (aggregator, server) = await StartAsync();

        aggregator.Tell(new Resync("egresses", [Load(Egress("a", "curl/a", 443))], [new SourcePosition("kubernetes/egresses", 5)]));
        aggregator.Tell(new Resync("routes", [], [new SourcePosition("kubernetes/routes", 6)]));
        await server.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(1)); // the control plane heard of no applied state, no first sync

        aggregator.Tell(new Resync("namespaces", [], [new SourcePosition("kubernetes/namespaces", 7)], new HashSet<string> { "curl" }));
        var published = await server.ExpectMsgAsync<PublishSnapshot>();
        Assert.Equal("a:443/tcp", SnapshotProbe.Describe(published.Snapshot));
        Assert.Equal("kubernetes/egresses@5,kubernetes/namespaces@7,kubernetes/routes@6", published.Order.ToString());
        await FishForMessageAsync(m => m is FirstSyncPublished);
    }

    [Fact]
    public async Task Before_the_namespaces_are_known_no_namespace_counts()
    {
        var (aggregator, server) = await StartAsync();
        aggregator.Tell(new Resync("egresses", [Load(Egress("a", "curl/a", 443))], [new SourcePosition("kubernetes/egresses", 5)]));
        aggregator.Tell(new Resync("routes", [], [new SourcePosition("kubernetes/routes", 6)]));
        aggregator.Tell(new Resync("namespaces", [], [new SourcePosition("kubernetes/namespaces", 7)], new HashSet<string>()));
        Assert.Equal("", SnapshotProbe.Describe((await server.ExpectMsgAsync<PublishSnapshot>()).Snapshot));

        aggregator.Tell(new ApplyChanges([new ResourceChange.EnrollmentChanged(new HashSet<string> { "curl" })], new SourcePosition("kubernetes/namespaces", 9)));
        Assert.Equal("a:443/tcp", SnapshotProbe.Describe((await server.ExpectMsgAsync<PublishSnapshot>()).Snapshot));
    }

    [Fact]
    public async Task A_resync_reconciles_only_the_kinds_its_source_owns()
    {
        var (aggregator, server) = await StartAsync();
        aggregator.Tell(new Resync("egresses", [Load(Egress("a", "curl/a", 80, "http", hosts: ["httpbin.org"], routeGroups: ["routes"]))], [new SourcePosition("e", 5)]));
        aggregator.Tell(new Resync("routes", [Load(RouteGroup("routes", ("get", "/get", null, null)))], [new SourcePosition("r", 6)]));
        aggregator.Tell(new Resync("namespaces", [], [new SourcePosition("n", 7)], new HashSet<string> { "curl" }));
        Assert.Empty((await server.ExpectMsgAsync<PublishSnapshot>()).Snapshot.Issues);

        // The route source starts afresh and finds nothing: its route group goes, the Egress (not its kind) stays.
        aggregator.Tell(new Resync("routes", [], [new SourcePosition("r", 8)]));
        var withoutRoutes = (await server.ExpectMsgAsync<PublishSnapshot>()).Snapshot;
        Assert.Equal("a:80/http", SnapshotProbe.Describe(withoutRoutes));
        Assert.Single(withoutRoutes.Issues); // the route group it names is missing

        // The namespace source's resync changes the enrollment and touches no object.
        aggregator.Tell(new Resync("namespaces", [], [new SourcePosition("n", 9)], new HashSet<string>()));
        Assert.Equal("", SnapshotProbe.Describe((await server.ExpectMsgAsync<PublishSnapshot>()).Snapshot));
        var applied = (StateApplied)await FishForMessageAsync(m => m is StateApplied s && s.State.EnrolledNamespaces!.Count == 0);
        Assert.Contains(applied.State.Objects.Keys, k => k.Name == "a");
    }

    [Fact]
    public async Task A_restarted_aggregator_keeps_its_state_but_publishes_only_once_every_source_has_resynced()
    {
        // What a restart looks like from inside: the parent hands back the state last applied in full.
        var applied = ClusterState.Create(ClusterState.DefaultMeshConfigKey, ["curl"]).Upsert(Load(Egress("a", "curl/a", 443)));
        var (aggregator, server) = await StartAsync(applied);

        // Its input order starts over: a snapshot sent now, with part of it, would not supersede what proxies hold.
        aggregator.Tell(new Resync("egresses", [Load(Egress("a", "curl/a", 8443))], [new SourcePosition("e", 50)]));
        aggregator.Tell(new Resync("routes", [], [new SourcePosition("r", 51)]));
        await server.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

        aggregator.Tell(new Resync("namespaces", [], [new SourcePosition("n", 52)], new HashSet<string> { "curl" }));
        var published = await server.ExpectMsgAsync<PublishSnapshot>();
        Assert.Equal("a:8443/tcp", SnapshotProbe.Describe(published.Snapshot));
        Assert.Equal("e@50,n@52,r@51", published.Order.ToString());
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle() => ReceiveAny(_ => { });
    }
}
