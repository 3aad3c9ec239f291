using System.Text.Json.Nodes;
using Akka.Actor;
using k8s;
using k8s.Models;
using Mesh.Control.Validation;
using Mesh.FakeKubeApi.Faults;
using Mesh.Kubernetes.Catalog;
using Mesh.Policy.State;
using Microsoft.Extensions.Logging;
using Prometheus;
using Xunit.Abstractions;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Control.Tests.Kubernetes;

/// <summary>
/// The control plane on Kubernetes, end to end in one process: the real watcher actors, aggregator, snapshot server
/// and status writer against the fake API server over HTTP, with one probe per identity watching snapshots as a
/// proxy would. Faults are scripted on the fake; every wait is for a condition or a message.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit calls IAsyncLifetime.DisposeAsync.")]
public sealed class KubernetesScenarioTests(ITestOutputHelper output) : MeshTestKit(output), IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly CapturingLoggerFactory _logs = new();
    private readonly List<ActorSystem> _replicas = [];
    private KubeWorld _world = null!;
    private ControlPlaneMetrics _metrics = null!;
    private ControlPlane _control = null!;

    public async Task InitializeAsync()
    {
        _world = await KubeWorld.StartAsync();
        _metrics = new ControlPlaneMetrics(Metrics.WithCustomRegistry(_registry));
    }

    public async Task DisposeAsync()
    {
        if (_control is not null) await _control.StopAsync();
        foreach (var replica in _replicas) await replica.Terminate();
        await _world.DisposeAsync();
    }

    private ControlPlaneOptions Options(bool writeStatus = true, bool wait = true, ControlPlaneHooks? hooks = null) => new()
    {
        Kubernetes = _world.Options(writeStatus),
        WaitForFirstSync = wait,
        StartupTimeout = Dilated(Bound),
        Hooks = hooks,
        Restarts = new RestartPolicy { MinBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(100) },
    };

    private async Task StartAsync(bool writeStatus = true, bool wait = true, ControlPlaneHooks? hooks = null) =>
        _control = await ControlPlane.StartAsync(Sys, Options(writeStatus, wait, hooks), _metrics, _logs);

    private async Task<SnapshotProbe> SubscribeAsync(string identity, string initialRules, ControlPlane? control = null)
    {
        var probe = new SnapshotProbe(CreateTestProbe(), (control ?? _control).SnapshotServer, identity);
        await probe.ExpectAsync(initialRules, Bound);
        return probe;
    }

    private Task EventuallyAsync(Func<ControlPlaneStatus, bool> condition) =>
        AwaitConditionAsync(async () => condition(await _control.GetStatusAsync()), Bound);

    private Task EventuallyAsync(Func<bool> condition) => AwaitConditionAsync(() => Task.FromResult(condition()), Bound);

    private double Count(string metric, params (string Label, string Value)[] labels)
    {
        var text = Exposition();
        return text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(l => labels.All(x => l.Contains($"{x.Label}=\"{x.Value}\"", StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private string Exposition()
    {
        using var stream = new MemoryStream();
        _registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private const string OsmEgresses = "egresses.policy.openservicemesh.io";

    [Fact]
    public async Task The_first_sync_publishes_what_the_API_holds_and_every_reflector_is_counted()
    {
        _world.Create(Egress("a-443", "curl/a", 443));
        _world.Create(Egress("b-80", "curl/b", 80, "http", hosts: ["httpbin.org"], routeGroups: ["routes"]));
        _world.Create(RouteGroup("routes", ("get", "/get", null, null)));
        _world.Create(MeshConfig(enableEgress: false));
        await StartAsync();

        await SubscribeAsync("curl/a", "a-443:443/tcp");
        var b = await SubscribeAsync("curl/b", "b-80:80/http");
        Assert.Empty(b.Received[0].Issues); // the route group was in force with the Egress: nothing missing
        var nobody = await SubscribeAsync("curl/nobody", "");
        Assert.False(nobody.Received[0].CanReachAnything);

        var status = await _control.GetStatusAsync();
        Assert.True(status.Synced);
        Assert.Empty(status.Problems);
        Assert.Equal(["curl"], status.Applied!.EnrolledNamespaces!.Order(StringComparer.Ordinal)); // mesh-system holds the MeshConfig, which counts anyway
        Assert.Empty(status.Validation.Rejections);
        foreach (var resource in new[] { OsmEgresses, "egresses.policy.flomesh.io", "httproutegroups.specs.smi-spec.io",
                     "meshconfigs.config.openservicemesh.io", "meshconfigs.config.flomesh.io", "namespaces" })
        {
            Assert.True(Count("mesh_kubernetes_lists_total", ("resource", resource), ("reason", "initial")) >= 1, resource);
            Assert.True(Count("mesh_kubernetes_watches_total", ("resource", resource)) >= 1 || resource == "namespaces", resource);
        }
        Assert.Equal(1, Count("mesh_control_synced"));
    }

    [Fact]
    public async Task Creates_patches_and_deletes_reach_exactly_the_identities_they_affect()
    {
        _world.Create(Egress("a-443", "curl/a", 443));
        await StartAsync(writeStatus: false);
        var a = await SubscribeAsync("curl/a", "a-443:443/tcp");
        var b = await SubscribeAsync("curl/b", "");

        _world.Create(Egress("b-80", "curl/b", 80, "http", hosts: ["httpbin.org"]));
        await b.ExpectAsync("b-80:80/http");
        await a.ExpectNothingAsync();

        _world.MergePatch(MeshResourceCatalog.OsmEgress, "curl", "a-443", """{"spec":{"ports":[{"number":8443,"protocol":"tcp"}]}}""");
        await a.ExpectAsync("a-443:8443/tcp");
        await b.ExpectNothingAsync();

        _world.Delete(MeshResourceCatalog.OsmEgress, "curl", "b-80");
        await b.ExpectAsync("");
        await a.ExpectNothingAsync();
        Assert.DoesNotContain((await _control.GetStatusAsync()).Applied!.Objects.Keys, k => k.Name == "b-80");
    }

    [Fact]
    public async Task A_delete_made_while_the_watch_was_cut_is_applied_when_the_watch_resumes()
    {
        _world.Create(Egress("a-443", "curl/a", 443));
        _world.Create(Egress("a-80", "curl/a", 80));
        await StartAsync(writeStatus: false);
        var a = await SubscribeAsync("curl/a", "a-443:443/tcp,a-80:80/tcp");

        var egresses = new FaultMatch(Resource: "egresses");
        // The snapshot comes from the lists; each group's watch opens right after its list, maybe not yet.
        await EventuallyAsync(() => _world.Api.ActiveWatchesOf("egresses") >= 2);
        Assert.True(_world.Api.Faults.StallActiveWatches(egresses) >= 2); // events stay queued on the server side...
        _world.Delete(MeshResourceCatalog.OsmEgress, "curl", "a-80");
        _world.Api.Faults.CutActiveWatches(egresses); // ...and are lost with the connection

        await a.ExpectAsync("a-443:443/tcp");
        Assert.True(Count("mesh_kubernetes_failures_total", ("resource", OsmEgresses), ("kind", "transport"), ("verb", "watch")) >= 1);
        Assert.Equal(0, Count("mesh_kubernetes_lists_total", ("resource", OsmEgresses), ("reason", "expired")));
        Assert.Equal(0, Count("mesh_kubernetes_relist_deletions_total", ("resource", OsmEgresses))); // resumed, not relisted
    }

    [Fact]
    public async Task A_delete_made_while_away_past_compaction_is_found_by_the_relist_after_410()
    {
        _world.Create(Egress("a-443", "curl/a", 443));
        _world.Create(Egress("a-80", "curl/a", 80));
        await StartAsync(writeStatus: false);
        var a = await SubscribeAsync("curl/a", "a-443:443/tcp,a-80:80/tcp");

        var egresses = new FaultMatch(Resource: "egresses");
        await EventuallyAsync(() => _world.Api.ActiveWatchesOf("egresses") >= 2); // each group's, opened after its list
        Assert.True(_world.Api.Faults.StallActiveWatches(egresses) >= 2);
        _world.Delete(MeshResourceCatalog.OsmEgress, "curl", "a-80");
        _world.Api.Store.Compact(); // the history the watch would resume from is gone: 410 Expired
        _world.Api.Faults.CutActiveWatches(egresses);

        await a.ExpectAsync("a-443:443/tcp");
        Assert.True(Count("mesh_kubernetes_expired_total", ("resource", OsmEgresses)) >= 1);
        Assert.True(Count("mesh_kubernetes_lists_total", ("resource", OsmEgresses), ("reason", "expired")) >= 1);
        Assert.Equal(1, Count("mesh_kubernetes_relist_deletions_total", ("resource", OsmEgresses)));
        await a.ExpectNothingAsync(); // applied once
    }

    [Fact]
    public async Task Egress_counts_only_in_enrolled_namespaces_and_unenrolling_withdraws_it()
    {
        _world.Create(Egress("shop-443", "shop/app", 443, ns: "shop"));
        await StartAsync();
        var app = await SubscribeAsync("shop/app", ""); // shop is not in the mesh
        Assert.Null(_world.Condition("shop", "shop-443", "Accepted")); // not Mesh's to judge

        _world.Enroll("shop");
        await app.ExpectAsync("shop-443:443/tcp");
        await EventuallyAsync(() => (string?)_world.Condition("shop", "shop-443", "Accepted")?["status"] == "True");

        _world.Unenroll("shop");
        await app.ExpectAsync("");
        await EventuallyAsync(() => (string?)_world.Condition("shop", "shop-443", "Accepted")?["reason"] == "NotEnrolled");
        Assert.Equal("False", (string?)_world.Condition("shop", "shop-443", "Accepted")!["status"]);
        Assert.DoesNotContain("shop", (await _control.GetStatusAsync()).Applied!.EnrolledNamespaces!);

        _world.Enroll("shop");
        await app.ExpectAsync("shop-443:443/tcp");
    }

    [Fact]
    public async Task A_merge_patch_of_the_mesh_config_flips_passthrough_for_every_identity()
    {
        _world.Create(MeshConfig(enableEgress: false));
        _world.Create(Egress("a-443", "curl/a", 443));
        await StartAsync(writeStatus: false);
        var a = await SubscribeAsync("curl/a", "a-443:443/tcp");
        var other = await SubscribeAsync("other/o", "");
        Assert.False(a.Received[0].EnableEgress);

        // kubectl patch meshconfig mesh-config -n mesh-system --type=merge -p '{"spec":{"traffic":{"enableEgress":true}}}'
        using var client = new k8s.Kubernetes(_world.Options().Client);
        var r = MeshResourceCatalog.OsmMeshConfig;
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"traffic":{"enableEgress":true}}}""", V1Patch.PatchType.MergePatch),
            r.Group, "v1alpha2", "mesh-system", r.Plural, "mesh-config");

        Assert.True((await a.ExpectAsync("a-443:443/tcp")).EnableEgress);
        Assert.True((await other.ExpectAsync("")).EnableEgress);
        Assert.True(((Mesh.Policy.Model.MeshConfig)(await _control.GetStatusAsync()).Applied!.Objects.Values.Single(o => o.Key.Name == "mesh-config")).EnableEgress);
    }

    [Fact]
    public async Task An_invalid_object_is_rejected_alone_with_namespace_name_and_field_and_its_status_says_why()
    {
        _world.Create(Egress("good", "curl/a", 443));
        _world.Create(Egress("bad", "curl/a", 22, "udp"));
        await StartAsync();
        await SubscribeAsync("curl/a", "good:443/tcp");

        var validation = (await _control.GetStatusAsync()).Validation;
        var rejection = Assert.Single(validation.Rejections);
        Assert.Equal("spec.ports[0].protocol", rejection.FieldPath);
        Assert.Contains($"kubernetes {OsmEgresses} curl/bad", rejection.ToString(), StringComparison.Ordinal);
        Assert.Equal(ObjectState.Rejected, Assert.Single(validation.Objects, o => o.Key.Name == "bad").State);
        Assert.Equal(ObjectState.Accepted, Assert.Single(validation.Objects, o => o.Key.Name == "good").State);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("curl/bad", StringComparison.Ordinal) &&
            e.Message.Contains("spec.ports[0].protocol", StringComparison.Ordinal));

        await EventuallyAsync(() => _world.Condition("curl", "bad", "Accepted") is not null && _world.Condition("curl", "good", "Accepted") is not null);
        var bad = _world.Condition("curl", "bad", "Accepted")!;
        Assert.Equal(("False", "Invalid", 1L), ((string?)bad["status"], (string?)bad["reason"], bad["observedGeneration"]!.GetValue<long>()));
        Assert.Contains("spec.ports[0].protocol", (string?)bad["message"], StringComparison.Ordinal);
        var good = _world.Condition("curl", "good", "Accepted")!;
        Assert.Equal(("True", "Accepted"), ((string?)good["status"], (string?)good["reason"]));
        Assert.Equal(1L, _world.Get(MeshResourceCatalog.OsmEgress, "curl", "good")!["status"]!["lastAccepted"]!["generation"]!.GetValue<long>());
        Assert.Null(_world.Get(MeshResourceCatalog.OsmEgress, "curl", "bad")!["status"]!["lastAccepted"]);
    }

    [Fact]
    public async Task An_invalid_update_keeps_the_last_accepted_spec_in_force_on_every_replica_including_a_new_one()
    {
        _world.Create(Egress("a", "curl/a", 443));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "a:443/tcp");
        await EventuallyAsync(() => _world.Get(MeshResourceCatalog.OsmEgress, "curl", "a")?["status"]?["lastAccepted"] is not null);

        _world.Update(Egress("a", "curl/a", 443, "htps"));
        await EventuallyAsync(() => (string?)_world.Condition("curl", "a", "Accepted")?["reason"] == "Invalid");
        var condition = _world.Condition("curl", "a", "Accepted")!;
        Assert.Equal(2L, condition["observedGeneration"]!.GetValue<long>());
        Assert.Contains("spec.ports[0].protocol", (string?)condition["message"], StringComparison.Ordinal);
        Assert.Contains("generation 1", (string?)condition["message"], StringComparison.Ordinal);
        await a.ExpectNothingAsync(); // what worked keeps working
        var kept = Assert.Single((await _control.GetStatusAsync()).Validation.Objects, o => o.Key.Name == "a");
        Assert.Equal(ObjectState.RejectedKeepingPrevious, kept.State);

        // A replica started after the bad update computes the same snapshot: the spec comes from the object's status.
        var replica = ActorSystem.Create("replica", Sys.Settings.Config);
        _replicas.Add(replica);
        var other = await ControlPlane.StartAsync(replica, Options(writeStatus: false),
            new ControlPlaneMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())), _logs);
        var fromReplica = await SubscribeAsync("curl/a", "a:443/tcp", other);
        Assert.Equal(a.Received[0].Version, fromReplica.Received[0].Version);

        _world.Update(Egress("a", "curl/a", 8443));
        await a.ExpectAsync("a:8443/tcp");
        await fromReplica.ExpectAsync("a:8443/tcp");
        await EventuallyAsync(() => _world.Get(MeshResourceCatalog.OsmEgress, "curl", "a")?["status"]?["lastAccepted"]?["generation"]?.GetValue<long>() == 3);
    }

    [Fact]
    public async Task Without_a_recorded_accepted_spec_an_invalid_update_withdraws_the_policy()
    {
        _world.Create(Egress("a", "curl/a", 443));
        await StartAsync(writeStatus: false);
        var a = await SubscribeAsync("curl/a", "a:443/tcp");

        _world.Update(Egress("a", "curl/a", 443, "htps"));
        await a.ExpectAsync(""); // fails closed: no replica could know the last version
        Assert.Equal(ObjectState.Rejected, Assert.Single((await _control.GetStatusAsync()).Validation.Objects, o => o.Key.Name == "a").State);
    }

    [Theory]
    [InlineData("egresses", "egresses.policy.openservicemesh.io")]
    [InlineData("httproutegroups", "httproutegroups.specs.smi-spec.io")]
    [InlineData("meshconfigs", "meshconfigs.config.openservicemesh.io")]
    [InlineData("namespaces", "namespaces")]
    public async Task Until_every_kind_is_listed_nothing_is_published_and_a_403_is_loud_and_keeps_the_control_plane_not_ready(string plural, string named)
    {
        _world.Create(Egress("a-443", "curl/a", 443));
        _world.Api.Faults.Deny("list", plural);
        await StartAsync(writeStatus: false, wait: false);
        var a = new SnapshotProbe(CreateTestProbe(), _control.SnapshotServer, "curl/a");

        await EventuallyAsync(s => s.Problems.Any(p => p.Contains("403 Forbidden", StringComparison.Ordinal)));
        var status = await _control.GetStatusAsync();
        Assert.False(status.Synced);
        Assert.Contains(status.Problems, p => p.Contains($"may not list {named}", StringComparison.Ordinal) &&
            p.Contains($"'{plural}'", StringComparison.Ordinal));
        // The problem reaches the status and the error log from different threads: wait for the log line too.
        await EventuallyAsync(() => _logs.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains($"may not list {named}", StringComparison.Ordinal)));
        Assert.True(Count("mesh_kubernetes_failures_total", ("resource", named), ("kind", "forbidden"), ("verb", "list")) >= 1);
        Assert.False(_control.FirstSync.IsCompleted);
        await a.ExpectNothingAsync(); // a proxy keeps failing closed
        Assert.Equal(0, Count("mesh_control_synced"));

        _world.Api.Faults.Allow("list", plural);
        await _control.FirstSync.WaitAsync(Dilated(Bound));
        await a.ExpectAsync("a-443:443/tcp", Bound);
        await EventuallyAsync(s => s.Synced && s.Problems.Count == 0);
    }

    [Fact]
    public async Task An_aggregator_that_crashes_restarts_the_watchers_which_list_again_and_converge()
    {
        var thrown = 0;
        var hooks = new ControlPlaneHooks
        {
            BeforeApply = change =>
            {
                if (change is ResourceChange.Upserted { Resource.Key.Name: "poison" } && Interlocked.Exchange(ref thrown, 1) == 0)
                {
                    throw new InvalidOperationException("injected fault");
                }
            },
        };
        _world.Create(Egress("a", "curl/a", 443));
        await StartAsync(writeStatus: false, hooks: hooks);
        var a = await SubscribeAsync("curl/a", "a:443/tcp");
        var p = await SubscribeAsync("curl/p", "");
        var listsBefore = Count("mesh_kubernetes_lists_total", ("resource", OsmEgresses), ("reason", "initial"));

        _world.Create(Egress("poison", "curl/p", 80));
        await p.ExpectAsync("poison:80/tcp", Bound);
        Assert.Equal(1, thrown);
        Assert.True(_metrics.RestartsOf("policy-aggregator") >= 1);
        Assert.True(Count("mesh_kubernetes_lists_total", ("resource", OsmEgresses), ("reason", "initial")) > listsBefore); // fresh watchers listed
        await Task.WhenAll(a.ExpectNothingAsync(), p.ExpectNothingAsync());

        _world.Update(Egress("a", "curl/a", 8443));
        await a.ExpectAsync("a:8443/tcp");
    }

    [Fact]
    public async Task A_missing_route_group_is_reported_in_the_status_until_it_exists()
    {
        _world.Create(Egress("httpbin-80", "curl/curl", 80, "http", hosts: ["httpbin.org"], routeGroups: ["routes"]));
        await StartAsync();
        var curl = await SubscribeAsync("curl/curl", "httpbin-80:80/http");
        Assert.Single(curl.Received[0].Issues);
        await EventuallyAsync(() => (string?)_world.Condition("curl", "httpbin-80", "ResolvedRefs")?["reason"] == "RouteGroupNotFound");
        Assert.Contains("curl/routes", (string?)_world.Condition("curl", "httpbin-80", "ResolvedRefs")!["message"], StringComparison.Ordinal);
        Assert.Equal("True", (string?)_world.Condition("curl", "httpbin-80", "Accepted")!["status"]);

        _world.Create(RouteGroup("routes", ("get", "/get", null, null)));
        Assert.Empty((await curl.ExpectAsync("httpbin-80:80/http")).Issues);
        await EventuallyAsync(() => (string?)_world.Condition("curl", "httpbin-80", "ResolvedRefs")?["status"] == "True");
    }

    [Fact]
    public async Task A_status_writer_refused_by_RBAC_says_what_to_grant_keeps_serving_and_writes_once_allowed()
    {
        _world.Create(Egress("a", "curl/a", 443));
        _world.Api.Faults.Deny("patch", "egresses/status");
        await StartAsync();
        await SubscribeAsync("curl/a", "a:443/tcp"); // snapshots do not wait for the status

        await EventuallyAsync(() => _metrics.StatusWrites("failed") >= 2); // retried
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("'patch' on resource 'egresses/status'", StringComparison.Ordinal));
        Assert.Null(_world.Condition("curl", "a", "Accepted"));

        _world.Api.Faults.Allow("patch", "egresses/status");
        await EventuallyAsync(() => (string?)_world.Condition("curl", "a", "Accepted")?["status"] == "True");
        Assert.Equal(1, _metrics.StatusWrites("written"));
    }

    [Fact]
    public async Task A_403_on_a_watch_after_the_first_sync_is_a_problem_while_it_lasts_and_the_control_plane_keeps_serving()
    {
        _world.Create(Egress("a", "curl/a", 443));
        await StartAsync(writeStatus: false);
        var a = await SubscribeAsync("curl/a", "a:443/tcp");

        _world.Api.Faults.Deny("watch", "httproutegroups");
        _world.Api.Faults.CutActiveWatches(new FaultMatch(Resource: "httproutegroups"));
        await EventuallyAsync(s => s.Problems.Any(p => p.Contains("may not watch httproutegroups.specs.smi-spec.io", StringComparison.Ordinal)));
        Assert.True((await _control.GetStatusAsync()).Synced); // what was read stays in force (fail static)
        _world.Update(Egress("a", "curl/a", 8443));
        await a.ExpectAsync("a:8443/tcp"); // the other kinds carry on

        // Allowed again: the watch resumes on a quiet resource, so no event says so; the problem lapses.
        _world.Api.Faults.Allow("watch", "httproutegroups");
        await EventuallyAsync(s => s.Problems.Count == 0);
    }
}
