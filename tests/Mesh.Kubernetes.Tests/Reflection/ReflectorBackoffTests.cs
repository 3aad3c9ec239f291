using Mesh.FakeKubeApi.Faults;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;
using Mesh.Kubernetes.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Kubernetes.Tests.Reflection;

/// <summary>Backoff: growth, jitter bounds, reset; 429 with Retry-After; 5xx; all on a fake clock, no sleeps.</summary>
public sealed class ReflectorBackoffTests
{
    private static readonly WatchedResource Egresses = new(MeshResourceCatalog.OsmEgress, Mesh.Policy.Model.ResourceKind.Egress);
    private static readonly ReflectorOptions Options = ReflectorOptions.Default with { StallTimeout = TimeSpan.FromHours(1) };

    [Fact]
    public void Delays_double_from_0_8_s_to_30_s_within_20_percent_jitter_and_start_over_after_2_quiet_minutes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        foreach (var seed in Enumerable.Range(0, 50))
        {
            var backoff = new ExponentialBackoff(ReflectorOptions.Default, time, new Random(seed));
            var nominal = 0.8;
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var delay = backoff.Next().TotalSeconds;
                var low = Math.Max(0.8, nominal * 0.8);
                var high = Math.Min(30, nominal * 1.2);
                Assert.InRange(delay, low - 1e-9, high + 1e-9);
                nominal = Math.Min(30, nominal * 2);
                time.Advance(TimeSpan.FromSeconds(delay));
            }
            time.Advance(TimeSpan.FromMinutes(2));
            Assert.InRange(backoff.Next().TotalSeconds, 0.8, 0.96 + 1e-9);
        }
    }

    [Fact]
    public void Jitter_actually_spreads_the_delays()
    {
        var time = new FakeTimeProvider();
        var firsts = Enumerable.Range(0, 20).Select(seed => new ExponentialBackoff(ReflectorOptions.Default, time, new Random(seed)))
            .Select(b => { b.Next(); b.Next(); return b.Next().TotalMilliseconds; })
            .Distinct()
            .Count();
        Assert.True(firsts > 10, $"only {firsts} distinct third delays out of 20");
    }

    [Fact]
    public async Task Failing_lists_back_off_growing_and_the_next_list_waits_for_each_delay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Faults.FailNext(4, 500, new FaultMatch("list", "egresses"));
        await using var r = new RunningReflector(cluster.Client(), Egresses, Options, time);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await Wait.UntilAsync(() => r.Sink.Failures.Count == attempt);
            var failure = r.Sink.Failures[^1];
            Assert.Equal(FailureKind.ServerError, failure.Kind);
            Assert.Equal(attempt, failure.ConsecutiveFailures);
            var nominal = ExponentialBackoff.Nominal(attempt - 1, Options).TotalSeconds;
            Assert.InRange(failure.RetryIn.TotalSeconds, Math.Max(0.8, nominal * 0.8) - 1e-9, nominal * 1.2 + 1e-9);
            var lists = cluster.Api.Requests.Where("list", "egresses").Count;

            // Just before the delay runs out nothing happens; at the delay the list is retried.
            time.Advance(failure.RetryIn - TimeSpan.FromMilliseconds(1));
            await Wait.StaysFalseAsync(() => cluster.Api.Requests.Where("list", "egresses").Count > lists, TimeSpan.FromMilliseconds(100));
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Wait.UntilAsync(() => cluster.Api.Requests.Where("list", "egresses").Count > lists);
        }
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1);
        Assert.Equal(4, RunningReflector.Count(r.Metrics.Failures, Egresses.Name, "server_error", "list"));
        Assert.Equal(4, RunningReflector.Count(r.Metrics.Backoffs, Egresses.Name));
    }

    [Fact]
    public async Task A_429_waits_at_least_retry_after()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Faults.FailNext(1, 429, new FaultMatch("list", "egresses"), retryAfter: TimeSpan.FromSeconds(7));
        await using var r = new RunningReflector(cluster.Client(), Egresses, Options, time);

        await Wait.UntilAsync(() => r.Sink.Failures.Count == 1);
        var failure = r.Sink.Failures[0];
        Assert.Equal(FailureKind.Throttled, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryIn);
        time.Advance(TimeSpan.FromSeconds(6.9));
        await Wait.StaysFalseAsync(() => cluster.Api.Requests.Where("list", "egresses").Count > 1, TimeSpan.FromMilliseconds(100));
        time.Advance(TimeSpan.FromSeconds(0.1));
        await Wait.UntilAsync(() => r.Sink.Syncs.Count == 1);
        Assert.Equal(1, RunningReflector.Count(r.Metrics.Failures, Egresses.Name, "throttled", "list"));
    }

    [Fact]
    public async Task A_5xx_on_the_watch_resumes_the_watch_from_its_version_without_relisting()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Create(MeshResourceCatalog.OsmEgress, "default", "e", FakeCluster.EgressSpec());
        cluster.Api.Faults.FailNext(2, 500, new FaultMatch("watch", "egresses"));
        await using var r = new RunningReflector(cluster.Client(), Egresses, Options, time);

        await Wait.UntilAsync(() => r.Sink.Failures.Count == 1);
        time.Advance(r.Sink.Failures[0].RetryIn);
        await Wait.UntilAsync(() => r.Sink.Failures.Count == 2);
        Assert.True(r.Sink.Failures[1].RetryIn > r.Sink.Failures[0].RetryIn, "the second delay grows");
        time.Advance(r.Sink.Failures[1].RetryIn);
        await Wait.UntilAsync(() => cluster.Api.ActiveWatchCount == 1);

        var watches = cluster.Api.Requests.Where("watch", "egresses");
        Assert.Equal(2, watches.Count);
        Assert.All(watches, w => Assert.Equal(r.Sink.Syncs[0].ResourceVersion, w.QueryValue("resourceVersion")));
        Assert.Single(cluster.Api.Requests.Where("list", "egresses"));
        Assert.Equal(2, RunningReflector.Count(r.Metrics.Failures, Egresses.Name, "server_error", "watch"));
    }
}
