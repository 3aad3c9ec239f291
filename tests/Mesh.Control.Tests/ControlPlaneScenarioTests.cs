using Mesh.Cluster.Protocol;
using Mesh.Control.Validation;
using Mesh.Policy.Model;
using Mesh.Policy.State;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit.Abstractions;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Control.Tests;

/// <summary>
/// Scenario simulations: real files in a temp folder, the real watcher, aggregator and snapshot server in an actor
/// system, and one probe per identity watching snapshots as a proxy would. Every step states exactly which identities
/// must see which snapshot, and which nothing.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit calls IAsyncLifetime.DisposeAsync, which disposes the folder.")]
public sealed class ControlPlaneScenarioTests(ITestOutputHelper output) : MeshTestKit(output), IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ControlPlaneMetrics _metrics = new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
    private ControlPlane _control = null!;
    private ControlPlaneHooks? _hooks;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_control is not null) await _control.StopAsync();
        _dir.Dispose();
    }

    private async Task StartAsync()
    {
        _control = await ControlPlane.StartAsync(Sys, new ControlPlaneOptions
        {
            ManifestDirectory = _dir.Path,
            Hooks = _hooks,
            Restarts = new RestartPolicy { MinBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) },
        }, _metrics, NullLoggerFactory.Instance);
    }

    private async Task<SnapshotProbe> SubscribeAsync(string identity, string initialRules)
    {
        var probe = new SnapshotProbe(CreateTestProbe(), _control.SnapshotServer, identity);
        await probe.ExpectAsync(initialRules);
        return probe;
    }

    private async Task<ValidationReport> ValidationAsync() => (await _control.GetStatusAsync()).Validation;

    private async Task<ClusterState> AppliedAsync() => (await _control.GetStatusAsync()).Applied!;

    /// <summary>Waits (dilated) until the control plane's status satisfies the condition.</summary>
    private Task EventuallyAsync(Func<ControlPlaneStatus, bool> condition) =>
        AwaitConditionAsync(async () => condition(await _control.GetStatusAsync()), TimeSpan.FromSeconds(3));

    [Fact]
    public async Task Objects_in_the_folder_at_start_are_published_and_an_unnamed_identity_gets_an_empty_snapshot()
    {
        _dir.Write("a.yaml", Egress("a-443", "curl/a", 443));
        _dir.Write("sub/b.yml", Egress("b-80", "curl/b", 80, "http", hosts: ["httpbin.org"]));
        await StartAsync();

        await SubscribeAsync("curl/a", "a-443:443/tcp");
        await SubscribeAsync("curl/b", "b-80:80/http");
        var nobody = await SubscribeAsync("curl/nobody", "");
        Assert.False(nobody.Received[0].CanReachAnything);
        Assert.Empty((await ValidationAsync()).Rejections);
    }

    [Fact]
    public async Task A_lone_change_is_published_quickly_and_only_to_the_identity_it_affects()
    {
        _dir.Write("a.yaml", Egress("a-443", "curl/a", 443));
        _dir.Write("b.yaml", Egress("b-443", "curl/b", 443));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "a-443:443/tcp");
        var b = await SubscribeAsync("curl/b", "b-443:443/tcp");

        _dir.Write("a.yaml", Egress("a-443", "curl/a", 8443));
        // Well before the 2 s safety-net rescan (dilated): inotify and the debounce (at most 250 ms) carried it.
        await a.ExpectAsync("a-443:8443/tcp", TimeSpan.FromMilliseconds(1500));
        await b.ExpectNothingAsync();
        await a.ExpectNothingAsync();
    }

    [Fact]
    public async Task A_change_is_pushed_against_the_snapshot_pushed_before_and_a_watch_is_answered_with_the_whole_one()
    {
        _dir.Write("a.yaml", Egress("a-443", "curl/a", 443));
        await StartAsync();
        var probe = CreateTestProbe();
        var identity = ServiceAccountIdentity.Parse("curl/a");
        _control.SnapshotServer.Tell(new WatchSnapshots(identity, probe.Ref, HaveVersion: null), probe.Ref);
        var first = await probe.ExpectMsgAsync<SnapshotPublished>(TimeSpan.FromSeconds(3));
        Assert.Equal(("a-443:443/tcp", null), (SnapshotProbe.Describe(first.Snapshot), first.Base));

        _dir.Write("a.yaml", Egress("a-443", "curl/a", 8443));
        var change = await probe.ExpectMsgAsync<SnapshotPublished>(TimeSpan.FromSeconds(3));

        Assert.Equal("a-443:8443/tcp", SnapshotProbe.Describe(change.Snapshot));
        Assert.Same(first.Snapshot, change.Base); // on the wire: only what changed since it
        _control.SnapshotServer.Tell(new WatchSnapshots(identity, probe.Ref, HaveVersion: first.Snapshot.Version), probe.Ref);
        var answer = await probe.ExpectMsgAsync<SnapshotPublished>(TimeSpan.FromSeconds(3));
        Assert.Same(change.Snapshot, answer.Snapshot);
        Assert.Null(answer.Base); // the watcher may hold anything
    }

    [Fact]
    public async Task Add_modify_delete_reach_exactly_the_affected_topics()
    {
        _dir.Write("a.yaml", Egress("a-443", "curl/a", 443));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "a-443:443/tcp");
        var b = await SubscribeAsync("curl/b", "");
        var c = await SubscribeAsync("curl/c", "");

        _dir.Write("b.yaml", Egress("b-80", "curl/b", 80, "http", hosts: ["httpbin.org"]));
        await b.ExpectAsync("b-80:80/http");
        await Task.WhenAll(a.ExpectNothingAsync(), c.ExpectNothingAsync());

        _dir.Write("b.yaml", Documents(Egress("b-80", "curl/b", 80, "http", hosts: ["httpbin.org"]), Egress("b-443", "curl/b", 443, "https", hosts: ["httpbin.org"])));
        await b.ExpectAsync("b-443:443/https,b-80:80/http");
        await Task.WhenAll(a.ExpectNothingAsync(), c.ExpectNothingAsync());

        File.Delete(_dir.File("a.yaml"));
        await a.ExpectAsync("");
        await Task.WhenAll(b.ExpectNothingAsync(), c.ExpectNothingAsync());

        File.WriteAllText(_dir.File("b.yaml"), "");
        await b.ExpectAsync("");
        await Task.WhenAll(a.ExpectNothingAsync(), c.ExpectNothingAsync());
        Assert.Empty((await AppliedAsync()).Objects);
    }

    [Fact]
    public async Task An_invalid_new_version_keeps_the_last_accepted_one_and_is_reported_and_counted()
    {
        _dir.Write("a.yaml", Egress("a-443", "curl/a", 443));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "a-443:443/tcp");

        _dir.Write("a.yaml", Documents(Egress("a-443", "curl/a", 443, "htps"), Egress("a-new", "curl/a", 22, "tcp-serverfirst")));
        await EventuallyAsync(s => s.Validation.Objects.Any(o => o.State == ObjectState.RejectedKeepingPrevious));
        await a.ExpectNothingAsync();
        var report = await ValidationAsync();
        var kept = Assert.Single(report.Objects, o => o.Key.Name == "a-443");
        Assert.Equal(ObjectState.RejectedKeepingPrevious, kept.State);
        Assert.Contains(kept.Errors, e => e.ToString().Contains("a.yaml", StringComparison.Ordinal) && e.FieldPath == "spec.ports[0].protocol");
        Assert.Equal(ObjectState.Rejected, Assert.Single(report.Objects, o => o.Key.Name == "a-new").State);
        Assert.Equal(2, _metrics.RejectionsTotal);

        _dir.Write("a.yaml", Egress("a-443", "curl/a", 8443));
        await a.ExpectAsync("a-443:8443/tcp");
        await EventuallyAsync(s => s.Validation.Rejections.Count == 0);
    }

    [Fact]
    public async Task A_file_that_stops_parsing_keeps_the_objects_it_defined_until_it_parses_again()
    {
        _dir.Write("a.yaml", Documents(Egress("a-443", "curl/a", 443), Egress("a-80", "curl/a", 80)));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "a-443:443/tcp,a-80:80/tcp");

        _dir.Write("a.yaml", "kind: Egress\nspec: [unclosed\n");
        await EventuallyAsync(s => s.Validation.SyntaxErrors.Count == 1);
        await a.ExpectNothingAsync();
        Assert.All((await ValidationAsync()).Objects, o => Assert.Equal(ObjectState.KeptFromUnreadableFile, o.State));

        _dir.Write("a.yaml", Egress("a-80", "curl/a", 80));
        await a.ExpectAsync("a-80:80/tcp");
    }

    [Fact]
    public async Task A_renamed_file_changes_nothing_and_an_atomic_replacement_is_seen()
    {
        _dir.Write("a.yaml", Egress("a-443", "curl/a", 443));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "a-443:443/tcp");

        File.Move(_dir.File("a.yaml"), _dir.File("renamed.yaml"));
        await EventuallyAsync(s => Origin(s, "a-443")?.EndsWith("renamed.yaml", StringComparison.Ordinal) == true);
        await a.ExpectNothingAsync();

        _dir.WriteAtomically("renamed.yaml", Egress("a-443", "curl/a", 993));
        await a.ExpectAsync("a-443:993/tcp");
        await a.ExpectNothingAsync();
    }

    private static string? Origin(ControlPlaneStatus status, string name) =>
        status.Applied?.Objects.Values.FirstOrDefault(o => o.Key.Name == name)?.Source.Origin;

    [Fact]
    public async Task The_same_object_in_two_files_keeps_the_first_by_path_and_reports_a_conflict()
    {
        _dir.Write("b.yaml", Egress("shared", "curl/a", 80));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "shared:80/tcp");

        _dir.Write("a.yaml", Egress("shared", "curl/a", 443));
        await a.ExpectAsync("shared:443/tcp");
        await EventuallyAsync(s => s.Validation.Conflicts.Count == 1);
        var validation = await ValidationAsync();
        var conflict = validation.Conflicts[0];
        Assert.EndsWith("a.yaml", conflict.InForceFile, StringComparison.Ordinal);
        Assert.EndsWith("b.yaml", conflict.IgnoredFile, StringComparison.Ordinal);
        Assert.Contains(validation.Objects, o => o.State == ObjectState.Shadowed && o.File.EndsWith("b.yaml", StringComparison.Ordinal));

        File.Delete(_dir.File("a.yaml"));
        await a.ExpectAsync("shared:80/tcp");
        await EventuallyAsync(s => s.Validation.Conflicts.Count == 0);
    }

    [Fact]
    public async Task Editor_temporaries_and_dotfiles_are_ignored()
    {
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "");
        _dir.Write(".a.yaml.swp", Egress("x", "curl/a", 1));
        _dir.Write("a.yaml~", Egress("y", "curl/a", 2));
        _dir.Write(".hidden/c.yaml", Egress("z", "curl/a", 3));
        _dir.Write("notes.txt", Egress("w", "curl/a", 4));
        _dir.Write("real.json", """{"kind":"Egress","apiVersion":"policy.openservicemesh.io/v1alpha1","metadata":{"name":"j","namespace":"curl"},"spec":{"sources":[{"kind":"ServiceAccount","name":"a","namespace":"curl"}],"ports":[{"number":5,"protocol":"tcp"}]}}""");
        await a.ExpectAsync("j:5/tcp");
        await a.ExpectNothingAsync();
    }

    [Fact]
    public async Task A_burst_of_a_thousand_edits_to_one_file_ends_on_the_last_content_with_few_publications()
    {
        _dir.Write("a.yaml", Egress("a", "curl/a", 1000));
        _dir.Write("b.yaml", Egress("b", "curl/b", 443));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "a:1000/tcp");
        var b = await SubscribeAsync("curl/b", "b:443/tcp");
        var publishedBefore = _metrics.SnapshotsPublishedTotal;

        for (var i = 1; i <= 1000; i++) _dir.Write("a.yaml", Egress("a", "curl/a", 1000 + i));

        await a.FishForAsync("a:2000/tcp", TimeSpan.FromSeconds(10));
        await a.ExpectNothingAsync(TimeSpan.FromMilliseconds(600));
        await b.ExpectNothingAsync(TimeSpan.FromMilliseconds(1));
        var published = _metrics.SnapshotsPublishedTotal - publishedBefore;
        Assert.InRange(published, 1, 60); // coalesced: a flush per debounce window at most, never one per edit
    }

    [Fact]
    public async Task A_burst_over_many_files_gives_each_identity_exactly_its_snapshot()
    {
        _dir.Write("z.yaml", Egress("z", "curl/z", 443));
        await StartAsync();
        var probes = new List<SnapshotProbe>();
        for (var i = 0; i < 100; i += 9) probes.Add(await SubscribeAsync($"many/sa-{i}", ""));
        var z = await SubscribeAsync("curl/z", "z:443/tcp");

        for (var i = 0; i < 100; i++) _dir.Write($"many/{i:D3}.yaml", Egress($"p-{i}", $"many/sa-{i}", 1000 + i));

        for (var i = 0; i < probes.Count; i++) await probes[i].ExpectAsync($"p-{i * 9}:{1000 + (i * 9)}/tcp", TimeSpan.FromSeconds(5));
        await Task.WhenAll(probes.Select(p => p.ExpectNothingAsync()).Append(z.ExpectNothingAsync()));
        await EventuallyAsync(s => s.Applied?.Egresses.Count() == 101);
    }

    [Fact]
    public async Task An_aggregator_that_crashes_is_restarted_and_converges()
    {
        var thrown = 0;
        _hooks = new ControlPlaneHooks
        {
            BeforeApply = change =>
            {
                if (change is ResourceChange.Upserted { Resource.Key.Name: "poison" } && Interlocked.Exchange(ref thrown, 1) == 0)
                {
                    throw new InvalidOperationException("injected fault");
                }
            },
        };
        _dir.Write("a.yaml", Egress("a", "curl/a", 443));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "a:443/tcp");
        var p = await SubscribeAsync("curl/p", "");

        // Its supervisor logs the failure, once, and restarts it.
        await EventFilter.Exception<InvalidOperationException>("injected fault").ExpectOneAsync(TimeSpan.FromSeconds(5),
            () =>
            {
                _dir.Write("p.yaml", Documents(Egress("poison", "curl/p", 80), Egress("p-more", "curl/p", 81)));
                return Task.CompletedTask;
            });
        await p.ExpectAsync("p-more:81/tcp,poison:80/tcp", TimeSpan.FromSeconds(5));
        Assert.Equal(1, thrown);
        Assert.True(_metrics.RestartsOf("policy-aggregator") >= 1);
        await Task.WhenAll(a.ExpectNothingAsync(), p.ExpectNothingAsync());

        _dir.Write("a.yaml", Egress("a", "curl/a", 8443));
        await a.ExpectAsync("a:8443/tcp");
    }

    [Fact]
    public async Task A_watcher_that_crashes_is_restarted_and_converges()
    {
        var armed = 0;
        var thrown = 0;
        _hooks = new ControlPlaneHooks
        {
            BeforeRead = origin =>
            {
                if (Volatile.Read(ref armed) == 1 && origin.EndsWith("crash.yaml", StringComparison.Ordinal) && Interlocked.Exchange(ref thrown, 1) == 0)
                {
                    throw new IOException("injected fault");
                }
            },
        };
        _dir.Write("a.yaml", Egress("a", "curl/a", 443));
        await StartAsync();
        var a = await SubscribeAsync("curl/a", "a:443/tcp");
        var c = await SubscribeAsync("curl/c", "");

        Volatile.Write(ref armed, 1);
        _dir.Write("crash.yaml", Egress("c", "curl/c", 5432, "tcp-server-first"));
        await c.ExpectAsync("c:5432/tcp-server-first", TimeSpan.FromSeconds(5));
        Assert.Equal(1, thrown);
        await Task.WhenAll(a.ExpectNothingAsync(), c.ExpectNothingAsync());
    }

    [Fact]
    public async Task Routes_and_mesh_config_changes_reach_the_identities_they_affect()
    {
        _dir.Write("egress.yaml", Egress("httpbin-80", "curl/curl", 80, "http", hosts: ["httpbin.org"], routeGroups: ["egress-http-route"]));
        _dir.Write("other.yaml", Egress("o", "other/o", 443));
        await StartAsync();
        var curl = await SubscribeAsync("curl/curl", "httpbin-80:80/http");
        var other = await SubscribeAsync("other/o", "o:443/tcp");
        Assert.Single(curl.Received[0].Issues);

        _dir.Write("routes.yaml", RouteGroup("egress-http-route", ("get", "/get", null, null)));
        var withRoutes = await curl.ExpectAsync("httpbin-80:80/http");
        Assert.Empty(withRoutes.Issues);
        await other.ExpectNothingAsync();

        _dir.Write("mesh.yaml", MeshConfig(enableEgress: true));
        var curlPassthrough = await curl.ExpectAsync("httpbin-80:80/http");
        var otherPassthrough = await other.ExpectAsync("o:443/tcp");
        Assert.True(curlPassthrough.EnableEgress && otherPassthrough.EnableEgress);
    }
}
