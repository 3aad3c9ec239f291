using Akka.Actor;
using Mesh.Control.Publishing;

namespace Mesh.Control.Tests;

/// <summary>Which controller pushes a watcher its changes: the one it prefers, unless that one may not know it.</summary>
public sealed class PushRuleTests
{
    private static readonly Address Self = new("akka.tcp", "mesh", "10.0.0.1", 4053);
    private static readonly Address Other = new("akka.tcp", "mesh", "10.0.0.2", 4053);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_watcher_that_prefers_none_or_this_controller_is_pushed()
    {
        var up = new Dictionary<Address, DateTimeOffset> { [Self] = Now.AddHours(-1), [Other] = Now.AddHours(-1) };
        Assert.True(PushRule.Pushes(Self, null, Now, up));
        Assert.True(PushRule.Pushes(Self, Self, Now, up));
    }

    [Fact]
    public void A_watcher_that_prefers_a_controller_up_before_its_last_watch_is_left_to_that_controller()
    {
        var up = new Dictionary<Address, DateTimeOffset> { [Self] = Now.AddHours(-1), [Other] = Now.AddMinutes(-10) };
        Assert.False(PushRule.Pushes(Self, Other, Now.AddMinutes(-1), up));
    }

    [Fact]
    public void A_watcher_whose_preferred_controller_is_not_up_and_reachable_is_taken_over()
    {
        var up = new Dictionary<Address, DateTimeOffset> { [Self] = Now.AddHours(-1) };
        Assert.True(PushRule.Pushes(Self, Other, Now, up));
    }

    [Fact]
    public void A_preferred_controller_that_came_up_after_the_last_watch_is_not_relied_on_however_long_ago_that_was()
    {
        // A proxy re-watching every 60 s whose preferred controller restarted 30 s ago has not told it yet: a fixed grace
        // after the restart (it was 10 s) would have left the proxy without pushes until its next watch.
        var up = new Dictionary<Address, DateTimeOffset> { [Self] = Now.AddHours(-1), [Other] = Now.AddSeconds(-30) };
        Assert.True(PushRule.Pushes(Self, Other, Now.AddSeconds(-50), up));
        // Its next watch went to every controller, the restarted one too: from then on, that one pushes.
        Assert.False(PushRule.Pushes(Self, Other, Now, up));
    }

    [Fact]
    public void A_watch_sent_just_after_the_preferred_controller_came_up_may_have_missed_it()
    {
        var cameUp = Now.AddSeconds(-1);
        var up = new Dictionary<Address, DateTimeOffset> { [Self] = Now.AddHours(-1), [Other] = cameUp };
        Assert.True(PushRule.Pushes(Self, Other, cameUp + PushRule.WatchReach - TimeSpan.FromMilliseconds(1), up));
        Assert.False(PushRule.Pushes(Self, Other, cameUp + PushRule.WatchReach, up));
    }
}
