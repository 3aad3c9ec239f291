using Akka.TestKit.Xunit2;
using Mesh.Control.Manifests;

namespace Mesh.Control.Tests;

/// <summary>The manifest debounce's timer (on the runtime's timer, not Akka's scheduler, here ticking every second): fires once, re-arms, cancels.</summary>
public sealed class PreciseTimerTests() : TestKit("akka.scheduler.tick-duration = 1s")
{
    [Fact]
    public void Fires_once_after_its_due_time()
    {
        using var timer = new PreciseTimer(TestActor, "due");
        var started = System.Diagnostics.Stopwatch.StartNew();
        timer.Start(TimeSpan.FromMilliseconds(50));
        ExpectMsg("due", TimeSpan.FromSeconds(5));
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(45), $"fired after {started.Elapsed}");
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // once
    }

    [Fact]
    public void Re_arming_moves_the_one_firing()
    {
        using var timer = new PreciseTimer(TestActor, "due");
        timer.Start(TimeSpan.FromMilliseconds(200));
        var started = System.Diagnostics.Stopwatch.StartNew();
        timer.Start(TimeSpan.FromMilliseconds(600));
        ExpectMsg("due", TimeSpan.FromSeconds(10));
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(590), $"fired after {started.Elapsed}");
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_cancelled_timer_does_not_fire()
    {
        using var timer = new PreciseTimer(TestActor, "due");
        timer.Start(TimeSpan.FromMilliseconds(100));
        timer.Cancel();
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }
}
