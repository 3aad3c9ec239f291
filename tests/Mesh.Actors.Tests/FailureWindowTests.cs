namespace Mesh.Actors.Tests;

public sealed class FailureWindowTests
{
    [Fact]
    public void Failures_older_than_the_window_are_not_counted()
    {
        var clock = new ManualClock();
        var window = new FailureWindow(TimeSpan.FromSeconds(10), clock);

        Assert.Equal(1, window.Record());
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(2, window.Record());
        clock.Advance(TimeSpan.FromSeconds(7)); // the first failure is now 11 s old
        Assert.Equal(2, window.Record());
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, window.Record());
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
