using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Faults;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Conversion;
using Mesh.Kubernetes.Objects;
using Mesh.Kubernetes.Status;
using Mesh.Kubernetes.Tests.Support;
using Mesh.Policy.Model;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Kubernetes.Tests.Status;

/// <summary>The Accepted condition written through the status subresource of the fake, over HTTP.</summary>
public sealed class EgressStatusWriterTests
{
    private static readonly WatchedResource Osm = new(MeshResourceCatalog.OsmEgress, ResourceKind.Egress);
    private static readonly ObjectKey Key = new("shop", "httpbin");

    private static async Task<(FakeCluster Cluster, EgressStatusWriter Writer, FakeTimeProvider Time)> StartAsync()
    {
        var cluster = await FakeCluster.StartAsync();
        cluster.CreateNamespace("shop");
        cluster.Create(MeshResourceCatalog.OsmEgress, "shop", "httpbin", FakeCluster.EgressSpec());
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        return (cluster, new EgressStatusWriter(cluster.Client(), time), time);
    }

    private static JsonObject Accepted(FakeCluster cluster)
    {
        var o = cluster.Api.Store.Get(cluster.Type(MeshResourceCatalog.OsmEgress), "shop", "httpbin")!;
        return (JsonObject)((JsonArray)o["status"]!["conditions"]!).Single(c => (string?)c!["type"] == "Accepted")!;
    }

    private static int Patches(FakeCluster cluster) => cluster.Api.Requests.Where("patch", "egresses").Count;

    [Fact]
    public async Task The_condition_is_written_once_and_an_identical_one_is_not_written_again()
    {
        var (cluster, writer, _) = await StartAsync();
        await using var _c = cluster;
        var wanted = new AcceptedCondition(true, "Accepted", "in force", ObservedGeneration: 1);

        Assert.Equal(StatusWriteOutcome.Written, await writer.WriteAsync(Osm, Key, wanted, CancellationToken.None));
        var condition = Accepted(cluster);
        Assert.Equal("True", (string?)condition["status"]);
        Assert.Equal("Accepted", (string?)condition["reason"]);
        Assert.Equal("in force", (string?)condition["message"]);
        Assert.Equal(1, condition["observedGeneration"]!.GetValue<long>());
        Assert.Equal("2026-05-01T12:00:00Z", (string?)condition["lastTransitionTime"]);
        Assert.Equal(1, Patches(cluster));
        var patch = cluster.Api.Requests.Where("patch", "egresses")[0];
        Assert.Equal("/apis/policy.openservicemesh.io/v1alpha1/namespaces/shop/egresses/httpbin/status", patch.Path);
        Assert.Equal(EgressStatusWriter.FieldManager, patch.QueryValue("fieldManager"));

        var version = cluster.Api.Store.ResourceVersion;
        Assert.Equal(StatusWriteOutcome.Unchanged, await writer.WriteAsync(Osm, Key, wanted, CancellationToken.None));
        Assert.Equal(1, Patches(cluster));
        Assert.Equal(version, cluster.Api.Store.ResourceVersion);

        // The status subresource left the spec and its generation alone.
        var stored = cluster.Api.Store.Get(cluster.Type(MeshResourceCatalog.OsmEgress), "shop", "httpbin")!;
        Assert.Equal(1, stored["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_transition_time_moves_only_when_the_status_flips()
    {
        var (cluster, writer, time) = await StartAsync();
        await using var _c = cluster;
        await writer.WriteAsync(Osm, Key, new AcceptedCondition(true, "Accepted", "in force", 1), CancellationToken.None);

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(StatusWriteOutcome.Written,
            await writer.WriteAsync(Osm, Key, new AcceptedCondition(true, "Accepted", "in force (generation 2)", 2), CancellationToken.None));
        Assert.Equal("2026-05-01T12:00:00Z", (string?)Accepted(cluster)["lastTransitionTime"]);
        Assert.Equal(2, Accepted(cluster)["observedGeneration"]!.GetValue<long>());

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(StatusWriteOutcome.Written,
            await writer.WriteAsync(Osm, Key, new AcceptedCondition(false, "Invalid", "spec.ports[0].protocol: 'udp' is not a protocol", 3), CancellationToken.None));
        var flipped = Accepted(cluster);
        Assert.Equal(("False", "Invalid", "2026-05-01T14:00:00Z"), ((string?)flipped["status"], (string?)flipped["reason"], (string?)flipped["lastTransitionTime"]));
    }

    [Fact]
    public async Task Conditions_of_other_controllers_are_kept()
    {
        var (cluster, writer, _) = await StartAsync();
        await using var _c = cluster;
        cluster.Api.Store.Patch(cluster.Type(MeshResourceCatalog.OsmEgress), "shop", "httpbin", o =>
        {
            o["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Audited", ["status"] = "True", ["reason"] = "Seen", ["message"] = "", ["lastTransitionTime"] = "2020-01-01T00:00:00Z" }),
            };
            return o;
        }, statusOnly: true);

        await writer.WriteAsync(Osm, Key, new AcceptedCondition(true, "Accepted", "in force", 1), CancellationToken.None);

        var stored = cluster.Api.Store.Get(cluster.Type(MeshResourceCatalog.OsmEgress), "shop", "httpbin")!;
        Assert.Equal(["Audited", "Accepted"], ((JsonArray)stored["status"]!["conditions"]!).Select(c => (string?)c!["type"]));
    }

    [Fact]
    public async Task A_write_that_loses_a_race_reads_again_and_retries()
    {
        var (cluster, writer, _) = await StartAsync();
        await using var _c = cluster;
        cluster.Api.Faults.FailNext(1, 409, new FaultMatch("patch", "egresses"));

        Assert.Equal(StatusWriteOutcome.Written, await writer.WriteAsync(Osm, Key, new AcceptedCondition(true, "Accepted", "in force", 1), CancellationToken.None));
        Assert.Equal(2, Patches(cluster));
        Assert.Equal(2, cluster.Api.Requests.Where("get", "egresses").Count);
    }

    [Fact]
    public async Task A_conflict_that_persists_is_thrown_to_the_caller_and_nothing_is_written()
    {
        var (cluster, writer, _) = await StartAsync();
        await using var _c = cluster;
        cluster.Api.Faults.FailNext(EgressStatusWriter.MaxAttempts, 409, new FaultMatch("patch", "egresses"));

        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            writer.WriteAsync(Osm, Key, new AcceptedCondition(true, "Accepted", "in force", 1), CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Equal(EgressStatusWriter.MaxAttempts, Patches(cluster));
        Assert.Null(cluster.Api.Store.Get(cluster.Type(MeshResourceCatalog.OsmEgress), "shop", "httpbin")!["status"]);
    }

    [Fact]
    public async Task A_deleted_object_has_no_status_to_write()
    {
        var (cluster, writer, _) = await StartAsync();
        await using var _c = cluster;
        cluster.Delete(MeshResourceCatalog.OsmEgress, "shop", "httpbin");
        Assert.Equal(StatusWriteOutcome.ObjectGone, await writer.WriteAsync(Osm, Key, new AcceptedCondition(true, "Accepted", "in force", 1), CancellationToken.None));
    }

    [Fact]
    public async Task Several_conditions_and_the_last_accepted_spec_go_in_one_patch_and_a_removed_condition_goes()
    {
        var (cluster, writer, _) = await StartAsync();
        await using var _c = cluster;
        var spec = """{"ports":[{"number":80,"protocol":"http"}]}""";
        var wanted = new WantedStatus(
            [new StatusCondition("Accepted", true, "Accepted", "in force", 1), new StatusCondition("ResolvedRefs", false, "RouteGroupNotFound", "shop/routes", 1)],
            [], new LastAcceptedSpec(1, spec));

        Assert.Equal(StatusWriteOutcome.Written, await writer.WriteAsync(Osm, Key, wanted, CancellationToken.None));
        var status = cluster.Api.Store.Get(cluster.Type(MeshResourceCatalog.OsmEgress), "shop", "httpbin")!["status"]!;
        Assert.Equal(["Accepted", "ResolvedRefs"], ((JsonArray)status["conditions"]!).Select(c => (string?)c!["type"]));
        Assert.Equal((1L, spec), (status["lastAccepted"]!["generation"]!.GetValue<long>(), (string?)status["lastAccepted"]!["spec"]));
        Assert.Equal(1, Patches(cluster));
        Assert.Equal(StatusWriteOutcome.Unchanged, await writer.WriteAsync(Osm, Key, wanted, CancellationToken.None));

        // A shorter spec replaces the record whole (a string: a merge patch cannot leave old fields behind).
        var invalid = new WantedStatus([new StatusCondition("Accepted", false, "Invalid", "spec.ports: required", 2)], ["ResolvedRefs"], null);
        Assert.Equal(StatusWriteOutcome.Written, await writer.WriteAsync(Osm, Key, invalid, CancellationToken.None));
        status = cluster.Api.Store.Get(cluster.Type(MeshResourceCatalog.OsmEgress), "shop", "httpbin")!["status"]!;
        Assert.Equal(["Accepted"], ((JsonArray)status["conditions"]!).Select(c => (string?)c!["type"]));
        Assert.Equal(spec, (string?)status["lastAccepted"]!["spec"]); // not named: left as recorded
        var shorter = new WantedStatus([new StatusCondition("Accepted", true, "Accepted", "in force", 3)], [], new LastAcceptedSpec(3, "{}"));
        await writer.WriteAsync(Osm, Key, shorter, CancellationToken.None);
        status = cluster.Api.Store.Get(cluster.Type(MeshResourceCatalog.OsmEgress), "shop", "httpbin")!["status"]!;
        Assert.Equal((3L, "{}"), (status["lastAccepted"]!["generation"]!.GetValue<long>(), (string?)status["lastAccepted"]!["spec"]));
    }
}
