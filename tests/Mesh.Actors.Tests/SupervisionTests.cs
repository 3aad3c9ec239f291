using System.Diagnostics;
using Mesh.Actors.TestKit;
using Microsoft.Extensions.Logging;

namespace Mesh.Actors.Tests;

[Collection(nameof(TimingSensitive))]
public sealed class SupervisionTests : IAsyncDisposable
{
    private static readonly SupervisionOptions FastRestarts = new()
    {
        MinBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(5),
        Jitter = 0,
        MaxRestarts = 2,
    };

    private readonly TestLoggerFactory _logs = new();
    private readonly ActorSystem _system;
    private readonly TestProbe<ActorEvent> _events = new("events");

    public SupervisionTests() => _system = new ActorSystem("test", _logs);

    public async ValueTask DisposeAsync() => await _system.StopAsync(StopMode.Cancel);

    [Fact]
    public async Task A_failing_handler_restarts_the_actor_with_fresh_state_and_keeps_the_queued_messages()
    {
        var worker = SpawnWorker("worker", FastRestarts);
        worker.Tell(new Work(1));
        worker.Tell(new Work(2));
        worker.Tell(new Crash("boom"));
        worker.Tell(new Work(3));

        await _events.ExpectMessageAsync<Started>(s => s.Incarnation == 1);
        await _events.ExpectMessageAsync<Handled>(h => h is { Id: 1, Count: 1 });
        await _events.ExpectMessageAsync<Handled>(h => h is { Id: 2, Count: 2 });
        await _events.ExpectMessageAsync<Crashing>();
        await _events.ExpectMessageAsync<PostStopped>();
        await _events.ExpectMessageAsync<Started>(s => s.Incarnation == 2);
        // The count starts again from zero, and the message queued behind the crash is still handled.
        await _events.ExpectMessageAsync<Handled>(h => h is { Id: 3, Count: 1 });
        // The failed message is not retried: no second crash, no third incarnation.
        await _events.ExpectNoMessageAsync();
        Assert.Equal(1, worker.RestartCount);
    }

    [Fact]
    public async Task Each_restart_is_logged_with_its_cause()
    {
        var worker = SpawnWorker("worker", FastRestarts);
        worker.Tell(new Crash("disk on fire"));

        var entry = await _logs.Entries.FishForMessageAsync(e => e.EventId.Id == 1);

        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("test/worker", entry.Message, StringComparison.Ordinal);
        Assert.Equal("disk on fire", entry.Exception?.Message);
    }

    [Fact]
    public async Task Restart_delays_grow_exponentially_from_the_minimum_backoff()
    {
        var backoff = new SupervisionOptions
        {
            MinBackoff = TimeSpan.FromMilliseconds(200),
            BackoffFactor = 2,
            MaxBackoff = TimeSpan.FromSeconds(5),
            Jitter = 0,
            MaxRestarts = 5,
        };
        var worker = SpawnWorker("worker", backoff);
        await _events.ExpectMessageAsync<Started>();

        worker.Tell(new Crash("first"));
        var firstDelay = await MeasureRestartAsync();
        worker.Tell(new Crash("second"));
        var secondDelay = await MeasureRestartAsync();

        // Lower bounds are the point (timers do not fire early); upper bounds only catch a runaway delay.
        Assert.InRange(firstDelay, TimeSpan.FromMilliseconds(190), TestKitSettings.Dilate(TimeSpan.FromMilliseconds(1_200)));
        Assert.InRange(secondDelay, TimeSpan.FromMilliseconds(390), TestKitSettings.Dilate(TimeSpan.FromMilliseconds(1_400)));
    }

    [Fact]
    public async Task A_failure_during_PreStart_is_restarted_like_a_handler_failure()
    {
        var attempts = new Incarnations();
        var actor = _system.Spawn("flaky-start", () => new FailsToStartOnce(attempts, _events), new ActorOptions { Supervision = FastRestarts });

        await _events.ExpectMessageAsync<Started>(s => s.Incarnation == 2);
        Assert.Equal(1, actor.RestartCount);
    }

    [Fact]
    public async Task After_too_many_failures_in_the_window_the_child_escalates_and_the_default_parent_stops_and_escalates_to_the_root()
    {
        var parent = _system.Spawn("parent", () => new Parent(_events, new Incarnations(), EscalationDirective.Escalate));
        var child = await SpawnChildAsync(parent, "child");

        for (var i = 1; i <= 3; i++)
            child.Tell(new Crash("crash " + i));

        var order = await ReceiveUntilAsync(e => e is PostStopped { Path: "test/parent" });
        Assert.Equal(2, child.RestartCount);
        // Three incarnations of the child started; the last stopped, escalated, and only then did its parent stop.
        Assert.Contains(order, e => e is Started { Path: "test/parent/child", Incarnation: 3 });
        Assert.True(order[^3] is PostStopped { Path: "test/parent/child" }, $"unexpected order: {string.Join(", ", order)}");
        Assert.IsType<ChildEscalated>(order[^2]);

        var rootFailure = await Assert.ThrowsAsync<ActorEscalationException>(() => _system.Completion.WaitAsync(TestKitSettings.DefaultTimeout));
        Assert.Equal("test/parent", rootFailure.ActorPath);
        var childFailure = Assert.IsType<ActorEscalationException>(rootFailure.InnerException);
        Assert.Equal("test/parent/child", childFailure.ActorPath);
        Assert.Equal("crash 3", childFailure.InnerException?.Message);
        await _logs.Entries.FishForMessageAsync(e => e.Level == LogLevel.Critical && e.Exception == rootFailure);
    }

    [Fact]
    public async Task A_parent_that_ignores_an_escalation_keeps_running_without_the_child()
    {
        var parent = _system.Spawn("parent", () => new Parent(_events, new Incarnations(), EscalationDirective.Ignore));
        var child = await SpawnChildAsync(parent, "child");

        for (var i = 1; i <= 3; i++)
            child.Tell(new Crash("crash " + i));

        await _events.FishForMessageAsync(e => e is ChildEscalated);
        await child.Stopped.WaitAsync(TestKitSettings.DefaultTimeout);
        Assert.Equal("pong", await parent.AskAsync((TaskCompletionSource<string> r) => new Ping(r), TestKitSettings.DefaultTimeout));
        Assert.False(_system.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_parent_that_answers_Restart_is_restarted_under_its_own_supervision()
    {
        var incarnations = new Incarnations();
        var parent = _system.Spawn("parent", () => new Parent(_events, incarnations, EscalationDirective.Restart),
            new ActorOptions { Supervision = FastRestarts });
        var child = await SpawnChildAsync(parent, "child");

        for (var i = 1; i <= 3; i++)
            child.Tell(new Crash("crash " + i));

        await _events.FishForMessageAsync(e => e is Started { Path: "test/parent", Incarnation: 2 });
        Assert.Equal(1, parent.RestartCount);
        Assert.False(_system.Completion.IsCompleted);
    }

    private ActorRef<WorkerMessage> SpawnWorker(string name, SupervisionOptions supervision)
    {
        var incarnations = new Incarnations(); // shared by every instance the factory makes
        return _system.Spawn(name, () => new Worker(_events, incarnations), new ActorOptions { Supervision = supervision });
    }

    private async Task<ActorRef<WorkerMessage>> SpawnChildAsync(ActorRef<ParentMessage> parent, string name)
    {
        var child = await parent.AskAsync(
            (TaskCompletionSource<ActorRef<WorkerMessage>> r) => new SpawnWorker(name, new ActorOptions { Supervision = FastRestarts }, r),
            TestKitSettings.DefaultTimeout);
        await _events.FishForMessageAsync(e => e is Started s && s.Path == child.Path);
        return child;
    }

    private async Task<TimeSpan> MeasureRestartAsync()
    {
        var crashed = await _events.ExpectMessageAsync<Crashing>();
        await _events.ExpectMessageAsync<PostStopped>();
        var restarted = await _events.ExpectMessageAsync<Started>();
        return Stopwatch.GetElapsedTime(crashed.Timestamp, restarted.Timestamp);
    }

    private async Task<List<ActorEvent>> ReceiveUntilAsync(Func<ActorEvent, bool> last)
    {
        var received = new List<ActorEvent>();
        while (received.Count == 0 || !last(received[^1]))
            received.Add(await _events.ExpectMessageAsync());
        return received;
    }
}
