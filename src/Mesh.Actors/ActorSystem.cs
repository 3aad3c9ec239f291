using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Actors;

/// <summary>
/// The root supervisor. Top-level actors are spawned here; when one of them escalates, the system logs it,
/// stops every actor and faults <see cref="Completion"/>, which the host awaits to shut itself down.
/// </summary>
public sealed class ActorSystem : ISupervisor, IAsyncDisposable
{
    private readonly ChildActors _children = new();
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _log;
    private Task? _stopping;
    private Exception? _rootCause;

    public ActorSystem(string name = "mesh", ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _log = LoggerFactory.CreateLogger("Mesh.Actors.Supervision");
    }

    public string Name { get; }

    /// <summary>Completes once <see cref="StopAsync"/> has stopped everything; faults with the cause if an actor escalated to the root.</summary>
    public Task Completion => _completion.Task;

    string ISupervisor.Path => Name;

    public ILoggerFactory LoggerFactory { get; }

    public ActorRef<TMessage> Spawn<TMessage>(string name, Func<Actor<TMessage>> factory, ActorOptions? options = null)
    {
        var cell = new ActorCell<TMessage>(this, name, factory, options ?? ActorOptions.Default);
        lock (_lock)
        {
            // Under the lock so a stop cannot snapshot the children between this check and the Add.
            if (_stopping is not null)
                throw new InvalidOperationException($"Actor system '{Name}' is stopping; cannot spawn '{name}'.");
            _children.Add(cell);
        }

        cell.Start();
        return cell.Self;
    }

    /// <summary>Stops every top-level actor (each stops its children first). Never throws; see <see cref="Completion"/>.</summary>
    public Task StopAsync(StopMode mode = StopMode.Drain)
    {
        lock (_lock)
            return _stopping ??= StopEverythingAsync(mode);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    void ISupervisor.OnChildStopped(IChildActor child) => _children.Remove(child);

    void ISupervisor.OnChildEscalated(IChildActor child, Exception cause)
    {
        ActorLog.RootEscalation(_log, Name, child.Path, cause);
        Interlocked.CompareExchange(ref _rootCause, cause, null);
        _ = StopAsync(StopMode.Cancel);
    }

    private async Task StopEverythingAsync(StopMode mode)
    {
        await _children.StopAllAsync(mode);
        if (Volatile.Read(ref _rootCause) is { } cause)
            _completion.TrySetException(cause);
        else
            _completion.TrySetResult();
    }
}
