using System.Text.Json.Nodes;
using Mesh.FakeKubeApi;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Tests.Support;

namespace Mesh.Kubernetes.Tests.Fake;

/// <summary>The fake's behaviour where it is not obviously right: histories, compaction, paging, patches, apply.</summary>
public sealed class FakeKubeApiTests
{
    private const string Egresses = "/apis/policy.openservicemesh.io/v1alpha1/namespaces/default/egresses";

    private static string Egress(string name, int port = 80) => new JsonObject
    {
        ["apiVersion"] = "policy.openservicemesh.io/v1alpha1",
        ["kind"] = "Egress",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = FakeCluster.EgressSpec(port: port),
    }.ToJsonString();

    private static string Rv(JsonNode? o) => (string)o!["metadata"]!["resourceVersion"]!;

    [Fact]
    public async Task A_watch_from_a_version_replays_exactly_the_writes_after_it_then_follows_live()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new FakeApiHttp(cluster.Api.BaseAddress);
        var (_, first) = await http.SendAsync(HttpMethod.Post, Egresses, Egress("one"));
        await http.SendAsync(HttpMethod.Post, Egresses, Egress("two"));
        await http.SendAsync(HttpMethod.Delete, $"{Egresses}/one");

        var watching = http.WatchAsync($"{Egresses}?watch=true&resourceVersion={Rv(first)}", 3);
        await Wait.UntilAsync(() => cluster.Api.ActiveWatchCount == 1);
        await http.SendAsync(HttpMethod.Post, Egresses, Egress("three"));
        var events = await watching;

        Assert.Equal([("ADDED", "two"), ("DELETED", "one"), ("ADDED", "three")],
            events.Select(e => ((string)e["type"]!, (string)e["object"]!["metadata"]!["name"]!)));
        var versions = events.Select(e => long.Parse(Rv(e["object"]), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(versions.Order(), versions);
    }

    [Fact]
    public async Task After_compaction_an_older_watch_gets_an_expired_error_event_and_an_older_continue_gets_410()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new FakeApiHttp(cluster.Api.BaseAddress);
        var (_, first) = await http.SendAsync(HttpMethod.Post, Egresses, Egress("one"));
        await http.SendAsync(HttpMethod.Post, Egresses, Egress("two"));
        var (_, page) = await http.GetAsync($"{Egresses}?limit=1");
        var token = (string)page!["metadata"]!["continue"]!;
        await http.SendAsync(HttpMethod.Post, Egresses, Egress("three"));
        cluster.Api.Store.Compact();

        var events = await http.WatchAsync($"{Egresses}?watch=true&resourceVersion={Rv(first)}", 1);
        var error = Assert.Single(events);
        Assert.Equal("ERROR", (string?)error["type"]);
        Assert.Equal(("Status", 410, "Expired"), ((string?)error["object"]!["kind"], (int)error["object"]!["code"]!, (string?)error["object"]!["reason"]));

        var (status, body) = await http.GetAsync($"{Egresses}?limit=1&continue={token}");
        Assert.Equal(410, status);
        Assert.Equal("Expired", (string?)body!["reason"]);

        // From the compaction point on, watching works again.
        var fromNow = http.WatchAsync($"{Egresses}?watch=true&resourceVersion={cluster.Api.Store.CompactedResourceVersion}", 1);
        await Wait.UntilAsync(() => cluster.Api.ActiveWatchCount == 1);
        await http.SendAsync(HttpMethod.Post, Egresses, Egress("four"));
        Assert.Equal("four", (string?)Assert.Single(await fromNow)["object"]!["metadata"]!["name"]);
    }

    [Fact]
    public async Task The_pages_of_a_list_are_one_snapshot_even_when_objects_change_between_pages()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new FakeApiHttp(cluster.Api.BaseAddress);
        foreach (var n in new[] { "a", "b", "c", "d" }) await http.SendAsync(HttpMethod.Post, Egresses, Egress(n));

        var (_, page1) = await http.GetAsync($"{Egresses}?limit=2");
        await http.SendAsync(HttpMethod.Delete, $"{Egresses}/c");
        await http.SendAsync(HttpMethod.Post, Egresses, Egress("e"));
        var (_, page2) = await http.GetAsync($"{Egresses}?limit=2&continue={(string)page1!["metadata"]!["continue"]!}");

        Assert.Equal(2, (int)page1["metadata"]!["remainingItemCount"]!);
        Assert.Equal(Rv(page1), Rv(page2));
        Assert.Null(page2!["metadata"]!["continue"]);
        var names = ((JsonArray)page1["items"]!).Concat((JsonArray)page2["items"]!).Select(i => (string)i!["metadata"]!["name"]!);
        Assert.Equal(["a", "b", "c", "d"], names);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_merges_and_requires_a_field_manager()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new FakeApiHttp(cluster.Api.BaseAddress);
        const string yaml = """
            apiVersion: policy.openservicemesh.io/v1alpha1
            kind: Egress
            metadata:
              name: applied
              labels: {team: a}
            spec:
              ports: [{number: 443, protocol: https}]
            """;
        var (refused, _) = await http.SendAsync(HttpMethod.Patch, $"{Egresses}/applied", yaml, "application/apply-patch+yaml");
        Assert.Equal(422, refused);

        var (created, body) = await http.SendAsync(HttpMethod.Patch, $"{Egresses}/applied?fieldManager=mesh-install", yaml, "application/apply-patch+yaml");
        Assert.Equal(200, created);
        Assert.Equal(1, (long)body!["metadata"]!["generation"]!);
        Assert.Equal(443, (int)body["spec"]!["ports"]![0]!["number"]!);

        var (_, labelled) = await http.SendAsync(HttpMethod.Patch, $"{Egresses}/applied?fieldManager=mesh-install",
            "{\"apiVersion\":\"policy.openservicemesh.io/v1alpha1\",\"kind\":\"Egress\",\"metadata\":{\"name\":\"applied\",\"labels\":{\"env\":\"prod\"}}}",
            "application/apply-patch+yaml");
        Assert.Equal(("a", "prod"), ((string?)labelled!["metadata"]!["labels"]!["team"], (string?)labelled["metadata"]!["labels"]!["env"]));
        Assert.Equal(1, (long)labelled["metadata"]!["generation"]!);

        var (_, respecced) = await http.SendAsync(HttpMethod.Patch, $"{Egresses}/applied?fieldManager=mesh-install",
            yaml.Replace("443", "8443", StringComparison.Ordinal), "application/apply-patch+yaml");
        Assert.Equal(2, (long)respecced!["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Patches_and_updates_follow_the_api_rules_for_versions_generations_and_no_ops()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new FakeApiHttp(cluster.Api.BaseAddress);
        var (_, created) = await http.SendAsync(HttpMethod.Post, Egresses, Egress("e"));

        // A merge patch carrying a stale resourceVersion is a conflict.
        var (stale, _) = await http.SendAsync(HttpMethod.Patch, $"{Egresses}/e",
            "{\"metadata\":{\"resourceVersion\":\"1\"},\"metadata2\":null}", "application/merge-patch+json");
        Assert.Equal(409, stale);

        // A no-op update writes nothing.
        var (_, same) = await http.SendAsync(HttpMethod.Put, $"{Egresses}/e", created!.ToJsonString());
        Assert.Equal(Rv(created), Rv(same));

        // JSON patch; labels do not bump the generation, the spec does.
        var (_, labelled) = await http.SendAsync(HttpMethod.Patch, $"{Egresses}/e",
            "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"a\":\"b\"}}]", "application/json-patch+json");
        Assert.Equal(1, (long)labelled!["metadata"]!["generation"]!);
        var (_, respecced) = await http.SendAsync(HttpMethod.Patch, $"{Egresses}/e",
            "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/number\",\"value\":8080},{\"op\":\"test\",\"path\":\"/metadata/labels/a\",\"value\":\"b\"}]",
            "application/json-patch+json");
        Assert.Equal(2, (long)respecced!["metadata"]!["generation"]!);

        // The main resource ignores status; the status subresource ignores the rest.
        var (_, ignored) = await http.SendAsync(HttpMethod.Patch, $"{Egresses}/e", "{\"status\":{\"x\":1}}", "application/merge-patch+json");
        Assert.Null(ignored!["status"]);
        var (_, statused) = await http.SendAsync(HttpMethod.Patch, $"{Egresses}/e/status", "{\"status\":{\"x\":1},\"spec\":null}", "application/merge-patch+json");
        Assert.Equal(1, (int)statused!["status"]!["x"]!);
        Assert.NotNull(statused["spec"]);
        Assert.Equal(2, (long)statused["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task A_watch_with_a_label_selector_sees_an_object_that_stops_matching_as_deleted()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new FakeApiHttp(cluster.Api.BaseAddress);
        cluster.CreateNamespace("shop", new Dictionary<string, string> { ["mesh"] = "osm" });
        var watching = http.WatchAsync("/api/v1/namespaces?watch=1&labelSelector=mesh%20in%20(osm),!frozen", 3);
        await Wait.UntilAsync(() => cluster.Api.ActiveWatchCount == 1);
        cluster.MergePatch(MeshResourceCatalog.Namespaces, "", "shop", new() { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["frozen"] = "yes" } } });
        cluster.CreateNamespace("cart", new Dictionary<string, string> { ["mesh"] = "osm" });

        var events = await watching;
        Assert.Equal([("ADDED", "shop"), ("DELETED", "shop"), ("ADDED", "cart")],
            events.Select(e => ((string)e["type"]!, (string)e["object"]!["metadata"]!["name"]!)));
        Assert.Null(events[1]["object"]!["metadata"]!["labels"]!["frozen"]);
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_objects_and_deleting_a_crd_stops_serving_it()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new FakeApiHttp(cluster.Api.BaseAddress);
        cluster.CreateNamespace("shop");
        cluster.Create(MeshResourceCatalog.OsmEgress, "shop", "e", FakeCluster.EgressSpec());
        var (missingNs, _) = await http.SendAsync(HttpMethod.Post, "/apis/policy.openservicemesh.io/v1alpha1/namespaces/nowhere/egresses", Egress("x"));
        Assert.Equal(404, missingNs);

        await http.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/shop");
        Assert.Empty((JsonArray)(await http.GetAsync("/apis/policy.openservicemesh.io/v1alpha1/egresses")).Body!["items"]!);

        var (_, groups) = await http.GetAsync("/apis");
        Assert.Contains(((JsonArray)groups!["groups"]!), g => (string?)g!["name"] == "policy.openservicemesh.io");
        await http.SendAsync(HttpMethod.Delete, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/egresses.policy.openservicemesh.io");
        Assert.Equal(404, (await http.GetAsync("/apis/policy.openservicemesh.io/v1alpha1/egresses")).Status);
        var (_, after) = await http.GetAsync("/apis");
        Assert.DoesNotContain(((JsonArray)after!["groups"]!), g => (string?)g!["name"] == "policy.openservicemesh.io");
    }

    [Fact]
    public async Task A_restarted_fake_with_the_same_state_directory_keeps_objects_versions_and_history()
    {
        var dir = Directory.CreateTempSubdirectory("mesh-fake-").FullName;
        try
        {
            string before;
            string afterFirst;
            await using (var first = await FakeCluster.StartAsync(new FakeKubeApiOptions { StateDirectory = dir }))
            {
                var one = first.Create(MeshResourceCatalog.OsmEgress, "default", "one", FakeCluster.EgressSpec());
                afterFirst = Rv(one);
                first.Create(MeshResourceCatalog.OsmEgress, "default", "two", FakeCluster.EgressSpec());
                before = first.Api.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(File.Exists(Path.Combine(dir, "kubeconfig")));
            }
            await using var second = await FakeKubeApiServer.StartAsync(new FakeKubeApiOptions { StateDirectory = dir });
            using var http = new FakeApiHttp(second.BaseAddress);
            Assert.Equal(before, second.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var events = await http.WatchAsync($"{Egresses}?watch=true&resourceVersion={afterFirst}", 1);
            Assert.Equal("two", (string?)Assert.Single(events)["object"]!["metadata"]!["name"]);
            Assert.Equal(2, ((JsonArray)(await http.GetAsync(Egresses)).Body!["items"]!).Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Scripted_faults_hit_only_matching_requests_and_only_as_many_times_as_asked()
    {
        await using var cluster = await FakeCluster.StartAsync();
        using var http = new FakeApiHttp(cluster.Api.BaseAddress);
        cluster.Api.Faults.CutNext(1, new Mesh.FakeKubeApi.Faults.FaultMatch("list", "egresses"));
        cluster.Api.Faults.FailNext(2, 429, new Mesh.FakeKubeApi.Faults.FaultMatch("list", "egresses"), TimeSpan.FromSeconds(3));

        Assert.Equal(200, (await http.GetAsync("/api/v1/namespaces")).Status);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(Egresses));
        var (throttled, body) = await http.GetAsync(Egresses);
        Assert.Equal((429, "TooManyRequests"), (throttled, (string?)body!["reason"]));
        Assert.Equal(429, (await http.GetAsync(Egresses)).Status);
        Assert.Equal(200, (await http.GetAsync(Egresses)).Status);
    }
}
