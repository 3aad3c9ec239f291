using Mesh.Actors.TestKit;

namespace Mesh.Actors.Tests;

public sealed class MailboxTests : IAsyncDisposable
{
    private readonly ActorSystem _system = new("test");
    private readonly TestProbe<ActorEvent> _events = new("events");

    public async ValueTask DisposeAsync() => await _system.StopAsync(StopMode.Cancel);

    [Fact]
    public async Task Messages_are_handled_in_the_order_they_were_sent()
    {
        var worker = SpawnWorker(capacity: 1000);
        await _events.ExpectMessageAsync<Started>();

        for (var id = 1; id <= 500; id++)
            Assert.True(worker.Tell(new Work(id)));

        var handled = await _events.ReceiveNAsync(500);
        Assert.Equal(Enumerable.Range(1, 500), handled.Cast<Handled>().Select(h => h.Id));
    }

    [Fact]
    public async Task The_handler_never_runs_concurrently_even_with_many_concurrent_senders()
    {
        var tracker = new ConcurrencyTracker();
        var actor = _system.Spawn("tracked", () => new TrackingActor(tracker),
            new ActorOptions { MailboxCapacity = 64, FullMode = MailboxFullMode.Wait });

        const int senders = 4;
        const int perSender = 2_000;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perSender; i++)
                Assert.True(await actor.SendAsync(i));
        })));

        await Eventually.TrueAsync(() => tracker.Handled == senders * perSender);
        Assert.Equal(1, tracker.MaxConcurrent);
    }

    [Fact]
    public async Task A_full_drop_newest_mailbox_refuses_and_counts_new_messages_and_keeps_the_queued_ones()
    {
        var gate = new TaskCompletionSource();
        var worker = SpawnWorker(capacity: 3);
        worker.Tell(new WaitFor(gate.Task));
        await _events.FishForMessageAsync(e => e is Waiting);

        Assert.True(worker.Tell(new Work(1)));
        Assert.True(worker.Tell(new Work(2)));
        Assert.True(worker.Tell(new Work(3)));
        Assert.False(worker.Tell(new Work(4)));
        Assert.False(await worker.SendAsync(new Work(5)));
        Assert.Equal(2, worker.DroppedCount);
        Assert.Equal(3, worker.QueuedCount);

        gate.SetResult();
        var handled = await _events.ReceiveNAsync(3);
        Assert.Equal([1, 2, 3], handled.Cast<Handled>().Select(h => h.Id));
        await _events.ExpectNoMessageAsync();
    }

    [Fact]
    public async Task A_full_wait_mailbox_makes_SendAsync_wait_while_Tell_still_refuses()
    {
        var gate = new TaskCompletionSource();
        var worker = SpawnWorker(capacity: 1, MailboxFullMode.Wait);
        worker.Tell(new WaitFor(gate.Task));
        await _events.FishForMessageAsync(e => e is Waiting);
        Assert.True(worker.Tell(new Work(1)));

        // Nothing reads while the handler is held, so the mailbox stays full: the outcome is deterministic.
        var send = worker.SendAsync(new Work(2)).AsTask();
        Assert.False(send.IsCompleted);
        Assert.False(worker.Tell(new Work(3)));
        Assert.Equal(1, worker.DroppedCount);

        gate.SetResult();
        Assert.True(await send.WaitAsync(TestKitSettings.DefaultTimeout));
        var handled = await _events.ReceiveNAsync(2);
        Assert.Equal([1, 2], handled.Cast<Handled>().Select(h => h.Id));
    }

    [Fact]
    public async Task A_stopped_actor_refuses_messages()
    {
        var worker = SpawnWorker(capacity: 10);
        await worker.StopAsync();

        Assert.False(worker.Tell(new Work(1)));
        Assert.False(await worker.SendAsync(new Work(2)));
        Assert.Equal(2, worker.DroppedCount);
    }

    private ActorRef<WorkerMessage> SpawnWorker(int capacity, MailboxFullMode fullMode = MailboxFullMode.DropNewest) =>
        _system.Spawn("worker", () => new Worker(_events, new Incarnations()),
            new ActorOptions { MailboxCapacity = capacity, FullMode = fullMode });
}
