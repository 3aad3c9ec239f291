using Mesh.Actors.TestKit;

namespace Mesh.Actors.Tests;

public sealed class LatestValueTopicsStressTests
{
    private const int Keys = 200;
    private const int ValuesPerKey = 300;
    private const int Publishers = 4;

    [Fact]
    public async Task Concurrent_publishers_and_subscribers_across_many_keys_see_ordered_values_ending_on_the_last()
    {
        var topics = new LatestValueTopics<int, int>();
        var violations = new TestProbe<string>("violations");
        using var stop = new CancellationTokenSource();
        var watchers = Enumerable.Range(0, Keys).Select(key => new Watcher(topics.Subscribe(key), violations)).ToList();
        var watching = watchers.Select(w => w.RunAsync()).ToList();
        var churn = ChurnSubscriptionsAsync(topics, stop.Token);

        // Each publisher owns a share of the keys, so per key the published values rise 1..ValuesPerKey.
        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(p => Task.Run(() =>
        {
            for (var value = 1; value <= ValuesPerKey; value++)
            {
                for (var key = p; key < Keys; key += Publishers)
                    topics.Publish(key, value);
            }
        })));

        await Eventually.TrueAsync(() => watchers.All(w => w.Last == ValuesPerKey), TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await churn;
        foreach (var watcher in watchers)
            watcher.Dispose();
        await Task.WhenAll(watching).WaitAsync(TestKitSettings.DefaultTimeout);
        await violations.ExpectNoMessageAsync();
        Assert.All(Enumerable.Range(0, Keys), key => Assert.Equal(0, topics.SubscriberCount(key)));
    }

    private static async Task ChurnSubscriptionsAsync(LatestValueTopics<int, int> topics, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            using (var subscription = topics.Subscribe(i % Keys))
                subscription.Reader.TryRead(out _);
            // Yield so the churn shares the two cores of a CI machine instead of pinning a pool thread.
            await Task.Yield();
        }
    }

    /// <summary>Reads one key and reports any version or value that goes backwards.</summary>
    private sealed class Watcher(TopicSubscription<int, int> subscription, TestProbe<string> violations) : IDisposable
    {
        private int _last;

        public int Last => Volatile.Read(ref _last);

        public async Task RunAsync()
        {
            long lastVersion = 0;
            await foreach (var item in subscription.Reader.ReadAllAsync())
            {
                if (item.Version <= lastVersion || item.Value <= Last)
                    violations.Tell($"key {subscription.Key}: {item} after version {lastVersion}, value {Last}");
                lastVersion = item.Version;
                Volatile.Write(ref _last, item.Value);
            }
        }

        public void Dispose() => subscription.Dispose();
    }
}
