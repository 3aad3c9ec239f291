using System.Globalization;
using Mesh.FakeKubeApi.Faults;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;
using Mesh.Kubernetes.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Kubernetes.Tests.Reflection;

/// <summary>Stalled streams and the watch timeout, driven by a fake clock.</summary>
public sealed class ReflectorStallAndTimeoutTests
{
    private static readonly WatchedResource Egresses = new(MeshResourceCatalog.OsmEgress, Mesh.Policy.Model.ResourceKind.Egress);

    [Fact]
    public async Task A_stream_that_sends_nothing_is_detected_after_the_stall_bound_and_reopened_from_its_version()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Faults.StallNextWatches(1, new FaultMatch(Resource: "egresses"));
        var options = ReflectorOptions.Default with { BookmarkInterval = TimeSpan.FromMinutes(1) };
        await using var r = new RunningReflector(cluster.Client(), Egresses, options, time);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && cluster.Api.ActiveWatchCount == 1);

        // Written while the stream is stalled: the server queues it, the client never hears of it.
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "late", FakeCluster.EgressSpec());
        time.Advance(TimeSpan.FromSeconds(119));
        await Wait.StaysFalseAsync(() => r.Sink.Failures.Count > 0, TimeSpan.FromMilliseconds(100));
        time.Advance(TimeSpan.FromSeconds(1));

        await Wait.UntilAsync(() => r.Sink.Failures.Count == 1);
        var failure = r.Sink.Failures[0];
        Assert.Equal(FailureKind.Stalled, failure.Kind);
        Assert.Contains("no event and no close for 120 s", failure.Message, StringComparison.Ordinal);
        time.Advance(failure.RetryIn);

        await Wait.UntilAsync(() => r.Sink.Changes.Count == 1);
        Assert.Equal("late", r.Sink.Changes[0].Change.Item.Name);
        Assert.Equal(1, RunningReflector.Count(r.Metrics.WatchEnds, Egresses.Name, "stalled"));
        Assert.Equal(1, RunningReflector.Count(r.Metrics.Failures, Egresses.Name, "stalled", "watch"));
        Assert.Single(cluster.Api.Requests.Where("list", "egresses"));
    }

    [Fact]
    public async Task Events_and_bookmarks_keep_a_quiet_watch_from_counting_as_stalled()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        await using var r = new RunningReflector(cluster.Client(), Egresses, ReflectorOptions.Default, time);
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1 && cluster.Api.ActiveWatchCount == 1);

        for (var minute = 1; minute <= 5; minute++)
        {
            cluster.Api.Store.Bookmark();
            await Wait.UntilAsync(() => RunningReflector.Count(r.Metrics.WatchEvents, Egresses.Name, "BOOKMARK") == minute);
            time.Advance(TimeSpan.FromMinutes(1));
        }
        await Wait.StaysFalseAsync(() => r.Sink.Failures.Count > 0, TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, RunningReflector.Count(r.Metrics.Watches, Egresses.Name));
    }

    [Fact]
    public async Task Each_watch_asks_for_a_random_timeout_of_5_to_10_minutes_and_is_closed_by_the_reflector_if_the_server_keeps_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        var options = ReflectorOptions.Default with { StallTimeout = TimeSpan.FromHours(1) };
        await using var r = new RunningReflector(cluster.Client(), Egresses, options, time);
        var seen = new List<int>();
        for (var round = 1; round <= 6; round++)
        {
            await Wait.UntilAsync(() => cluster.Api.ActiveWatchCount == 1 && RunningReflector.Count(r.Metrics.Watches, Egresses.Name) == round);
            // The fake holds the stream open far longer (its own clock is real): only the reflector's deadline ends it.
            time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
            await Wait.StaysFalseAsync(() => RunningReflector.Count(r.Metrics.WatchEnds, Egresses.Name, "timeout") >= round, TimeSpan.FromMilliseconds(50));
            time.Advance(TimeSpan.FromMinutes(5) + options.WatchTimeoutGrace + TimeSpan.FromSeconds(1));
            await Wait.UntilAsync(() => RunningReflector.Count(r.Metrics.WatchEnds, Egresses.Name, "timeout") == round);
            await Wait.UntilAsync(() => cluster.Api.Requests.Where("watch", "egresses").Count == round);
            seen.Add(int.Parse(cluster.Api.Requests.Where("watch", "egresses")[^1].QueryValue("timeoutSeconds")!, CultureInfo.InvariantCulture));
        }
        Assert.All(seen, s => Assert.InRange(s, 300, 600));
        Assert.True(seen.Distinct().Count() > 1, $"timeouts not random: {string.Join(", ", seen)}");
        Assert.Empty(r.Sink.Failures);
        Assert.Single(cluster.Api.Requests.Where("list", "egresses"));
    }
}
