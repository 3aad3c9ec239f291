using Mesh.Actors.TestKit;

namespace Mesh.Actors.Tests;

// The kit must fail when it should; these tests pin its failures and their messages.
public sealed class TestProbeTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);
    private readonly TestProbe<WorkerMessage> _probe = new("p");

    [Fact]
    public async Task ExpectMessage_returns_the_next_message_when_it_matches()
    {
        _probe.Tell(new Work(1));
        Assert.Equal(new Work(1), await _probe.ExpectMessageAsync(m => m == new Work(1)));
    }

    [Fact]
    public async Task ExpectMessage_fails_on_a_non_matching_message_and_names_the_expectation_and_what_came()
    {
        _probe.Tell(new Work(1));

        var failure = await Assert.ThrowsAsync<ExpectationFailedException>(() => _probe.ExpectMessageAsync(m => m is Crash));

        Assert.Contains("m => m is Crash", failure.Message, StringComparison.Ordinal);
        Assert.Contains("got Work { Id = 1 }", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpectMessage_times_out_listing_everything_received_so_far()
    {
        _probe.Tell(new Work(1));
        _probe.Tell(new Work(2));
        await _probe.ReceiveNAsync(2);

        var failure = await Assert.ThrowsAsync<ExpectationFailedException>(() => _probe.ExpectMessageAsync(Short));

        Assert.Contains("timeout", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Received since creation (2, latest last): [Work { Id = 1 }, Work { Id = 2 }]", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpectMessage_of_a_subtype_checks_the_type_and_the_predicate()
    {
        _probe.Tell(new Work(1));
        _probe.Tell(new Work(2));

        Assert.Equal(1, (await _probe.ExpectMessageAsync<Work>()).Id);
        var failure = await Assert.ThrowsAsync<ExpectationFailedException>(() => _probe.ExpectMessageAsync<Crash>());
        Assert.Contains("expected Crash but got Work { Id = 2 }", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpectNoMessage_fails_when_something_arrives()
    {
        await _probe.ExpectNoMessageAsync(Short);
        _probe.Tell(new Work(3));

        var failure = await Assert.ThrowsAsync<ExpectationFailedException>(() => _probe.ExpectNoMessageAsync(Short));
        Assert.Contains("got Work { Id = 3 }", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FishForMessage_skips_until_a_match_and_lists_the_skipped_ones_when_none_comes()
    {
        _probe.Tell(new Work(1));
        _probe.Tell(new Crash("x"));
        _probe.Tell(new Work(2));

        Assert.Equal(new Crash("x"), await _probe.FishForMessageAsync(m => m is Crash));
        var failure = await Assert.ThrowsAsync<ExpectationFailedException>(() => _probe.FishForMessageAsync(m => m is Crash, Short));
        Assert.Contains("skipped (1) [Work { Id = 2 }]", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveN_returns_messages_in_order_or_says_how_many_came()
    {
        _probe.Tell(new Work(1));
        _probe.Tell(new Work(2));
        Assert.Equal([new Work(1), new Work(2)], await _probe.ReceiveNAsync(2));

        _probe.Tell(new Work(3));
        var failure = await Assert.ThrowsAsync<ExpectationFailedException>(() => _probe.ReceiveNAsync(2, Short));
        Assert.Contains("after 1 of 2 messages", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writer_and_callback_deliver_and_record_like_Tell()
    {
        Assert.True(_probe.Writer.TryWrite(new Work(1)));
        _probe.Callback(new Work(2));
        await _probe.Writer.WriteAsync(new Work(3));

        Assert.Equal([new Work(1), new Work(2), new Work(3)], await _probe.ReceiveNAsync(3));
        Assert.Equal(3, _probe.Received.Count);
    }

    [Fact]
    public async Task Eventually_fails_with_the_condition_text_when_it_never_holds()
    {
        var never = false;
        var failure = await Assert.ThrowsAsync<ExpectationFailedException>(() => Eventually.TrueAsync(() => never, Short));
        Assert.Contains("() => never", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 1.0)]
    [InlineData("", 1.0)]
    [InlineData("abc", 1.0)]
    [InlineData("0", 1.0)]
    [InlineData("-2", 1.0)]
    [InlineData("2.5", 2.5)]
    public void The_time_factor_is_read_leniently(string? raw, double expected) =>
        Assert.Equal(expected, TestKitSettings.ParseTimeFactor(raw));
}
