using System.Diagnostics;
using Mesh.Actors.TestKit;

namespace Mesh.Actors.Tests;

public sealed class LatestValueTopicsTests
{
    private readonly LatestValueTopics<string, int> _topics = new();
    private readonly TestProbe<Versioned<int>> _probe = new("subscriber");

    [Fact]
    public async Task A_new_subscriber_gets_the_latest_value_at_once_then_every_change_in_order()
    {
        _topics.Publish("alice", 1);
        _topics.Publish("alice", 2);
        using var subscription = _topics.Subscribe("alice");

        // Available synchronously: no publication needed to see the retained value.
        Assert.True(subscription.Reader.TryRead(out var retained));
        Assert.Equal(2, retained.Value);

        _ = SubscriptionPump.Start(subscription.Reader, _probe);
        foreach (var value in new[] { 3, 4, 5 })
        {
            _topics.Publish("alice", value);
            await _probe.ExpectMessageAsync(v => v.Value == value);
        }
    }

    [Fact]
    public async Task A_subscriber_to_an_unpublished_key_gets_nothing_until_the_first_publication()
    {
        using var subscription = _topics.Subscribe("bob");
        _ = SubscriptionPump.Start(subscription.Reader, _probe);
        await _probe.ExpectNoMessageAsync();

        _topics.Publish("bob", 7);

        await _probe.ExpectMessageAsync(v => v.Value == 7);
    }

    [Fact]
    public async Task Values_of_other_keys_are_not_delivered()
    {
        using var subscription = _topics.Subscribe("alice");
        _ = SubscriptionPump.Start(subscription.Reader, _probe);

        _topics.Publish("bob", 1);
        _topics.Publish("alice", 2);

        await _probe.ExpectMessageAsync(v => v.Value == 2);
        await _probe.ExpectNoMessageAsync();
    }

    [Fact]
    public async Task A_stuck_subscriber_never_blocks_the_publisher_and_then_sees_the_newest_value()
    {
        var unstick = new TaskCompletionSource();
        using var subscription = _topics.Subscribe("alice");
        var pump = SubscriptionPump.Start(subscription.Reader, _probe, holdAfterFirst: unstick.Task);
        _topics.Publish("alice", 0);
        await _probe.ExpectMessageAsync(v => v.Value == 0); // the subscriber now sits stuck

        var publishing = Stopwatch.StartNew();
        for (var value = 1; value <= 10_000; value++)
            Assert.True(_topics.Publish("alice", value));
        publishing.Stop();

        Assert.True(publishing.Elapsed < TestKitSettings.Dilate(TimeSpan.FromSeconds(1)), $"publishing took {publishing.Elapsed}");
        unstick.SetResult();
        var next = await _probe.ExpectMessageAsync();
        Assert.Equal(10_000, next.Value); // intermediate versions skipped, newest kept
        await _probe.ExpectNoMessageAsync();
        Assert.False(pump.IsCompleted);
    }

    [Fact]
    public async Task Disposing_a_subscription_completes_its_reader_and_unsubscribes()
    {
        _topics.Publish("alice", 1);
        var subscription = _topics.Subscribe("alice");
        var other = _topics.Subscribe("alice");
        Assert.Equal(2, _topics.SubscriberCount("alice"));

        subscription.Dispose();

        // Completes although the retained value was never read: Dispose drops it.
        await subscription.Reader.Completion.WaitAsync(TestKitSettings.DefaultTimeout);
        Assert.Equal(1, _topics.SubscriberCount("alice"));
        Assert.True(_topics.Publish("alice", 2));
        other.Dispose();
        Assert.Equal(0, _topics.SubscriberCount("alice"));
    }

    [Fact]
    public async Task A_pumping_subscriber_ends_cleanly_on_dispose()
    {
        var subscription = _topics.Subscribe("alice");
        var pump = SubscriptionPump.Start(subscription.Reader, _probe);

        subscription.Dispose();

        await pump.WaitAsync(TestKitSettings.DefaultTimeout); // ReadAllAsync ends without an exception
    }

    [Fact]
    public void A_valueless_topic_is_forgotten_when_its_last_subscriber_leaves()
    {
        var subscription = _topics.Subscribe("ghost");
        Assert.Contains("ghost", _topics.Keys);

        subscription.Dispose();

        Assert.DoesNotContain("ghost", _topics.Keys);
    }

    [Fact]
    public async Task Removing_a_key_ends_its_subscribers_after_what_they_hold_and_forgets_the_value()
    {
        _topics.Publish("alice", 1);
        using var subscription = _topics.Subscribe("alice");
        var before = subscription.Reader.TryPeek(out var held) ? held.Version : 0;

        Assert.True(_topics.Remove("alice"));

        Assert.True(subscription.Reader.TryRead(out var last));
        Assert.Equal(1, last.Value);
        await subscription.Reader.Completion.WaitAsync(TestKitSettings.DefaultTimeout);
        Assert.False(_topics.TryGetLatest("alice", out _));
        Assert.Equal(0, _topics.SubscriberCount("alice"));

        // The key starts afresh, with versions that still only grow.
        _topics.Publish("alice", 2);
        Assert.True(_topics.TryGetLatest("alice", out var fresh));
        Assert.True(fresh.Version > before);
    }

    [Fact]
    public async Task Completing_the_hub_ends_every_subscription_and_refuses_publications()
    {
        using var subscription = _topics.Subscribe("alice");

        _topics.Complete();

        await subscription.Reader.Completion.WaitAsync(TestKitSettings.DefaultTimeout);
        Assert.False(_topics.Publish("alice", 1));
        using var late = _topics.Subscribe("alice");
        Assert.True(late.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task WaitForNewerAsync_returns_a_newer_retained_value_at_once_or_waits_for_the_next()
    {
        _topics.Publish("alice", 1);
        Assert.True(_topics.TryGetLatest("alice", out var current));

        var immediate = await _topics.WaitForNewerAsync("alice", current.Version - 1).WaitAsync(TestKitSettings.DefaultTimeout);
        Assert.Equal(current, immediate);

        var waiting = _topics.WaitForNewerAsync("alice", current.Version);
        Assert.False(waiting.IsCompleted);
        _topics.Publish("alice", 2);
        Assert.Equal(2, (await waiting.WaitAsync(TestKitSettings.DefaultTimeout)).Value);
        await Eventually.TrueAsync(() => _topics.SubscriberCount("alice") == 0);
    }
}
