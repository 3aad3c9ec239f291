using Mesh.Actors.TestKit;

namespace Mesh.Actors.Tests;

public sealed class StopTests : IAsyncDisposable
{
    private readonly ActorSystem _system = new("test");
    private readonly TestProbe<ActorEvent> _events = new("events");

    public async ValueTask DisposeAsync() => await _system.StopAsync(StopMode.Cancel);

    [Fact]
    public async Task Stopping_the_system_stops_children_before_their_parent_and_runs_every_PostStop()
    {
        var parent = _system.Spawn("parent", () => new Parent(_events, new Incarnations(), EscalationDirective.Escalate));
        foreach (var name in new[] { "a", "b" })
        {
            await parent.AskAsync(
                (TaskCompletionSource<ActorRef<WorkerMessage>> r) => new SpawnWorker(name, ActorOptions.Default, r),
                TestKitSettings.DefaultTimeout);
        }

        await _events.ReceiveNAsync(3); // parent and both children started

        await _system.StopAsync().WaitAsync(TestKitSettings.DefaultTimeout);

        var stops = (await _events.ReceiveNAsync(3)).Cast<PostStopped>().Select(s => s.Path).ToList();
        Assert.Equal(["test/parent/a", "test/parent/b"], stops.Take(2).Order());
        Assert.Equal("test/parent", stops[2]);
        await _system.Completion.WaitAsync(TestKitSettings.DefaultTimeout);
        Assert.True(parent.Stopped.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_draining_stop_handles_the_queued_messages_then_runs_PostStop()
    {
        var gate = new TaskCompletionSource();
        var worker = _system.Spawn("worker", () => new Worker(_events, new Incarnations()));
        worker.Tell(new WaitFor(gate.Task));
        worker.Tell(new Work(1));
        worker.Tell(new Work(2));
        await _events.FishForMessageAsync(e => e is Waiting);

        var stopping = worker.StopAsync(StopMode.Drain);
        Assert.False(worker.Tell(new Work(3)));
        gate.SetResult();
        await stopping.WaitAsync(TestKitSettings.DefaultTimeout);

        var events = await _events.ReceiveNAsync(3);
        Assert.Equal([1, 2], events.Take(2).Cast<Handled>().Select(h => h.Id));
        Assert.IsType<PostStopped>(events[2]);
    }

    [Fact]
    public async Task A_cancelling_stop_cancels_the_running_handler_and_drops_the_queue()
    {
        var never = new TaskCompletionSource();
        var worker = _system.Spawn("worker", () => new Worker(_events, new Incarnations()));
        worker.Tell(new WaitFor(never.Task));
        worker.Tell(new Work(1));
        worker.Tell(new Work(2));
        await _events.FishForMessageAsync(e => e is Waiting);

        await worker.StopAsync(StopMode.Cancel).WaitAsync(TestKitSettings.DefaultTimeout);

        await _events.ExpectMessageAsync<PostStopped>();
        await _events.ExpectNoMessageAsync();
        Assert.Equal(2, worker.DroppedCount);
        Assert.Equal(0, worker.RestartCount); // cancellation at stop is not a failure
    }

    [Fact]
    public async Task A_cancelling_stop_interrupts_a_long_restart_backoff()
    {
        var slowRestarts = new SupervisionOptions { MinBackoff = TimeSpan.FromMinutes(1), MaxBackoff = TimeSpan.FromMinutes(1) };
        var worker = _system.Spawn("worker", () => new Worker(_events, new Incarnations()), new ActorOptions { Supervision = slowRestarts });
        worker.Tell(new Crash("boom"));
        await _events.FishForMessageAsync(e => e is PostStopped);

        await worker.StopAsync(StopMode.Cancel).WaitAsync(TestKitSettings.DefaultTimeout);

        await _events.ExpectNoMessageAsync(); // no new incarnation, and PostStop ran only once
    }

    [Fact]
    public async Task An_actor_can_stop_itself_from_its_handler()
    {
        var actor = _system.Spawn("self-stopper", () => new StopsOnMessage(_events));
        actor.Tell(1);

        await actor.Stopped.WaitAsync(TestKitSettings.DefaultTimeout);
        await _events.ExpectMessageAsync<PostStopped>();
    }

    [Fact]
    public async Task Spawning_on_a_stopped_system_is_refused()
    {
        await _system.StopAsync();

        Assert.Throws<InvalidOperationException>(() => _system.Spawn("late", () => new Worker(_events, new Incarnations())));
    }
}
