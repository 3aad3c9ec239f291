namespace Mesh.Cli.Commands;

/// <summary>
/// Ctrl+C for the cluster commands: cancels the command's token (so a wait ends, the progress display puts the
/// terminal back and the command says what state it left), instead of killing the process mid-write.
/// </summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly ConsoleCancelEventHandler _handler;

    public InterruptSignal(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _handler = (_, e) =>
        {
            if (_source.IsCancellationRequested) return; // a second Ctrl+C ends the process
            e.Cancel = true;
            _source.Cancel();
        };
        Console.CancelKeyPress += _handler;
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _source.Dispose();
    }
}
