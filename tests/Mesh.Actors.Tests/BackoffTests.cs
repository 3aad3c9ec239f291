namespace Mesh.Actors.Tests;

public sealed class BackoffTests
{
    private static readonly SupervisionOptions Options = new()
    {
        MinBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromSeconds(1),
        BackoffFactor = 2,
        Jitter = 0.5,
    };

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    [InlineData(5, 1000)]
    [InlineData(500, 1000)]
    public void Without_jitter_the_delay_doubles_per_failure_up_to_the_cap(int failures, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Delay(Options, failures, unitRandom: 0));

    [Fact]
    public void Jitter_lengthens_the_delay_by_at_most_its_fraction_and_never_past_the_cap()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(150), Backoff.Delay(Options, 1, unitRandom: 1));
        Assert.Equal(TimeSpan.FromMilliseconds(250), Backoff.Delay(Options, 2, unitRandom: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(1), Backoff.Delay(Options, 4, unitRandom: 1));
        for (var i = 0; i < 1_000; i++)
            Assert.InRange(Backoff.NextDelay(Options, 2), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Invalid_supervision_options_are_refused_at_spawn()
    {
        Assert.Throws<ArgumentException>(() => new SupervisionOptions { Jitter = 2 }.Validate());
        Assert.Throws<ArgumentException>(() => new SupervisionOptions { MinBackoff = TimeSpan.FromSeconds(2), MaxBackoff = TimeSpan.FromSeconds(1) }.Validate());
        Assert.Throws<ArgumentException>(() => new ActorOptions { MailboxCapacity = 0 }.Validate());
    }
}
