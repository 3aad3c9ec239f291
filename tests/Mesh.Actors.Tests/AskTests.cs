using Mesh.Actors.TestKit;

namespace Mesh.Actors.Tests;

public sealed class AskTests : IAsyncDisposable
{
    private readonly ActorSystem _system = new("test");
    private readonly TestProbe<ActorEvent> _events = new("events");

    public async ValueTask DisposeAsync() => await _system.StopAsync(StopMode.Cancel);

    [Fact]
    public async Task Ask_returns_the_reply_the_handler_puts_in_the_request()
    {
        var worker = _system.Spawn("worker", () => new Worker(_events, new Incarnations()));
        worker.Tell(new Work(1));
        worker.Tell(new Work(2));

        var count = await worker.AskAsync((TaskCompletionSource<int> reply) => new GetCount(reply), TestKitSettings.DefaultTimeout);

        Assert.Equal(2, count);
    }

    [Fact]
    public async Task Ask_times_out_when_no_reply_comes()
    {
        var gate = new TaskCompletionSource();
        var worker = _system.Spawn("worker", () => new Worker(_events, new Incarnations()));
        worker.Tell(new WaitFor(gate.Task));

        await Assert.ThrowsAsync<TimeoutException>(() =>
            worker.AskAsync((TaskCompletionSource<int> reply) => new GetCount(reply), TimeSpan.FromMilliseconds(50)));
        gate.SetResult();
    }

    [Fact]
    public async Task Ask_fails_at_once_when_the_actor_is_stopped()
    {
        var worker = _system.Spawn("worker", () => new Worker(_events, new Incarnations()));
        await worker.StopAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            worker.AskAsync((TaskCompletionSource<int> reply) => new GetCount(reply), TestKitSettings.DefaultTimeout));
    }

    [Fact]
    public async Task A_probe_can_stand_in_for_the_asked_actor()
    {
        var fake = new TestProbe<WorkerMessage>();

        var asking = fake.AskAsync((TaskCompletionSource<int> reply) => new GetCount(reply), TestKitSettings.DefaultTimeout);
        var request = await fake.ExpectMessageAsync<GetCount>();
        request.Reply.SetResult(42);

        Assert.Equal(42, await asking);
    }
}
