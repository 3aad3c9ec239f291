using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace Mesh.Actors;

/// <summary>
/// Runs one actor: the single loop that reads the mailbox, the current instance, its children, and the
/// restart/escalate decisions when the instance fails. One cell lives as long as the actor's address.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The CancellationTokenSource never gets a timer, so there is nothing to release; disposing it would race late StopAsync calls.")]
internal sealed class ActorCell<TMessage> : ISupervisor, IChildActor
{
    private readonly Func<Actor<TMessage>> _factory;
    private readonly ActorOptions _options;
    private readonly ISupervisor _parent;
    private readonly ILogger _log;
    private readonly Mailbox<TMessage> _mailbox;
    private readonly ActorContext<TMessage> _context;
    private readonly ChildActors _children = new();
    private readonly FailureWindow _failures;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Child, Exception Cause)> _escalations = new();
    private readonly Doorbell _doorbell = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Actor<TMessage>? _instance;
    private bool _instanceStarted;
    private Task<bool>? _pendingMailboxWait;
    private int _restarts;

    internal ActorCell(ISupervisor parent, string name, Func<Actor<TMessage>> factory, ActorOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        options.Validate();
        _parent = parent;
        _factory = factory;
        _options = options;
        Path = parent.Path + "/" + name;
        LoggerFactory = parent.LoggerFactory;
        _log = LoggerFactory.CreateLogger("Mesh.Actors.Supervision");
        _mailbox = new Mailbox<TMessage>(options.MailboxCapacity, options.FullMode);
        _failures = new FailureWindow(options.Supervision.Window, TimeProvider.System);
        Self = new ActorRef<TMessage>(this, _mailbox);
        _context = new ActorContext<TMessage>(this, LoggerFactory.CreateLogger("Mesh.Actors." + name));
    }

    public string Path { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ActorRef<TMessage> Self { get; }

    public Task Stopped => _stopped.Task;

    public int RestartCount => Volatile.Read(ref _restarts);

    private bool Cancelled => _cancel.IsCancellationRequested;

    /// <summary>Starts the loop on the thread pool; the first thing it does is PreStart.</summary>
    public void Start() => _ = Task.Run(RunAsync);

    public Task StopAsync(StopMode mode)
    {
        if (mode == StopMode.Cancel && !_stopped.Task.IsCompleted)
            _cancel.Cancel();
        _mailbox.Complete();
        _doorbell.Ring();
        return _stopped.Task;
    }

    public ActorRef<TChild> SpawnChild<TChild>(string name, Func<Actor<TChild>> factory, ActorOptions? options)
    {
        var child = new ActorCell<TChild>(this, name, factory, options ?? ActorOptions.Default);
        _children.Add(child);
        child.Start();
        return child.Self;
    }

    public void OnChildStopped(IChildActor child) => _children.Remove(child);

    public void OnChildEscalated(IChildActor child, Exception cause)
    {
        _escalations.Enqueue((child.Path, cause));
        _doorbell.Ring();
    }

    private async Task RunAsync()
    {
        Exception? escalation = null;
        var failure = await StartInstanceAsync();
        while (!Cancelled)
        {
            if (failure is not null)
            {
                escalation = await RestartOrGiveUpAsync(failure);
                if (escalation is not null || Cancelled)
                    break;
                failure = await StartInstanceAsync();
            }
            else if (_escalations.TryDequeue(out var childFailure))
            {
                (failure, escalation) = AskInstanceAboutChild(childFailure.Child, childFailure.Cause);
                if (escalation is not null)
                    break;
            }
            else if (_mailbox.Reader.TryRead(out var message))
            {
                failure = await InvokeAsync(message);
            }
            else if (!await WaitForWorkAsync())
            {
                break; // mailbox completed and drained
            }
        }

        await ShutdownAsync(escalation);
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Any failure of the factory or PreStart is the supervisor's to handle.")]
    private async Task<Exception?> StartInstanceAsync()
    {
        if (Cancelled)
            return null;
        try
        {
            _instance = _factory();
            _instance.Attach(_context);
            await _instance.RunPreStartAsync(_cancel.Token);
            _instanceStarted = true;
            return null;
        }
        catch (OperationCanceledException) when (Cancelled)
        {
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Any handler failure is the supervisor's to handle.")]
    private async Task<Exception?> InvokeAsync(TMessage message)
    {
        try
        {
            await _instance!.RunHandleAsync(message, _cancel.Token);
            return null;
        }
        catch (OperationCanceledException) when (Cancelled)
        {
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    /// <summary>Retires the failed instance, then either waits out the backoff (null) or returns why it escalates.</summary>
    private async Task<Exception?> RestartOrGiveUpAsync(Exception failure)
    {
        // The failed incarnation's children die with it; the next PreStart spawns fresh ones.
        await _children.StopAllAsync(StopMode.Cancel);
        _escalations.Clear(); // they came from children of the retired incarnation
        await RetireInstanceAsync();

        var failuresInWindow = _failures.Record();
        if (failuresInWindow > _options.Supervision.MaxRestarts)
        {
            ActorLog.Escalating(_log, Path, failuresInWindow, _parent.Path, failure);
            return new ActorEscalationException(Path, $"{failuresInWindow} failures within {_options.Supervision.Window}", failure);
        }

        var delay = Backoff.NextDelay(_options.Supervision, failuresInWindow);
        ActorLog.Restarting(_log, Path, failuresInWindow, (long)delay.TotalMilliseconds, failure);
        Interlocked.Increment(ref _restarts);
        try
        {
            await Task.Delay(delay, _cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // A cancelling stop during backoff: the loop sees Cancelled and shuts down.
        }

        return null;
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A throwing OnChildEscalated is this actor's own failure.")]
    private (Exception? Failure, Exception? Escalation) AskInstanceAboutChild(string childPath, Exception cause)
    {
        EscalationDirective directive;
        try
        {
            directive = _instance!.RunOnChildEscalated(childPath, cause);
        }
        catch (Exception exception)
        {
            return (exception, null);
        }

        ActorLog.ChildEscalated(_log, Path, childPath, directive, cause);
        return directive switch
        {
            EscalationDirective.Ignore => (null, null),
            EscalationDirective.Restart => (cause, null),
            _ => (null, new ActorEscalationException(Path, $"child {childPath} escalated", cause)),
        };
    }

    /// <summary>True when there may be work (a message or a doorbell ring); false when the mailbox is completed and empty.</summary>
    private async ValueTask<bool> WaitForWorkAsync()
    {
        Task<bool> mailboxReady;
        if (_pendingMailboxWait is not null)
        {
            // Reuse the wait left over from a doorbell wake-up instead of stacking a second waiter on the channel.
            mailboxReady = _pendingMailboxWait;
            _pendingMailboxWait = null;
        }
        else
        {
            var wait = _mailbox.Reader.WaitToReadAsync();
            if (wait.IsCompleted)
                return await wait;
            mailboxReady = wait.AsTask();
        }

        var bell = _doorbell.Rung;
        await Task.WhenAny(mailboxReady, bell);
        if (!mailboxReady.IsCompleted)
        {
            _pendingMailboxWait = mailboxReady;
            _doorbell.Reset();
            return true;
        }

        return await mailboxReady;
    }

    private async Task ShutdownAsync(Exception? escalation)
    {
        var childMode = Cancelled || escalation is not null ? StopMode.Cancel : StopMode.Drain;
        await _children.StopAllAsync(childMode);
        await RetireInstanceAsync();
        _mailbox.Complete();
        _mailbox.DiscardRemaining();
        // Tell the parent before completing Stopped: a parent that awaited our stop may then trust its escalation
        // queue to be complete, and one that merely snapshots its children cannot miss a late escalation.
        if (escalation is not null)
            _parent.OnChildEscalated(this, escalation);
        _parent.OnChildStopped(this);
        _stopped.TrySetResult();
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A failing PostStop must not stop the rest of the shutdown; it is logged.")]
    private async Task RetireInstanceAsync()
    {
        var instance = _instance;
        var started = _instanceStarted;
        _instance = null;
        _instanceStarted = false;
        if (instance is null || !started)
            return;
        try
        {
            await instance.RunPostStopAsync();
        }
        catch (Exception exception)
        {
            ActorLog.PostStopFailed(_log, Path, exception);
        }
    }
}
