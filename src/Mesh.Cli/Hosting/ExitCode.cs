namespace Mesh.Cli.Hosting;

/// <summary>
/// What a long-running command exits with once its host has stopped: 0 when stopped by a signal, or the code a
/// hosted service set on the way (a controller whose actor system ended, or whose control plane gave up: 1, so its
/// supervisor restarts it; by default it would stay alive and dead).
/// </summary>
internal sealed class ExitCode
{
    private int _code;

    public int Code => Volatile.Read(ref _code);

    public string? Reason { get; private set; }

    /// <summary>Records the first failure; later ones do not overwrite it.</summary>
    public void Fail(string reason)
    {
        if (Interlocked.CompareExchange(ref _code, 1, 0) == 0) Reason = reason;
    }
}
