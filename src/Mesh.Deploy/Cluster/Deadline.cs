namespace Mesh.Deploy.Cluster;

/// <summary>
/// The time a wait may take (<c>--timeout</c>): its token cancels the calls in flight when it passes, so a server
/// that stops answering cannot hold a wait past it either.
/// </summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _outer;

    public Deadline(TimeSpan timeout, TimeProvider time, CancellationToken outer)
    {
        Timeout = timeout;
        _outer = outer;
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _source.CancelAfter(timeout);
        Time = time;
        Started = time.GetTimestamp();
    }

    public TimeSpan Timeout { get; }

    public TimeProvider Time { get; }

    public long Started { get; }

    public CancellationToken Token => _source.Token;

    /// <summary>True once the time is up (not when the caller itself cancelled).</summary>
    public bool Passed => !_outer.IsCancellationRequested && (_source.IsCancellationRequested || Time.GetElapsedTime(Started) >= Timeout);

    /// <summary>Waits one polling interval; false when the deadline passed meanwhile (the caller's own cancellation throws).</summary>
    public async Task<bool> PauseAsync(TimeSpan interval)
    {
        try
        {
            await Task.Delay(interval, Time, Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_outer.IsCancellationRequested)
        {
            return false;
        }
        return !Passed;
    }

    /// <summary>"5m", "90s", "1m30s": how a timeout is shown.</summary>
    public static string Show(TimeSpan t)
    {
        if (t.TotalSeconds < 1) return $"{t.TotalMilliseconds:0}ms";
        var minutes = (int)t.TotalMinutes;
        var seconds = t.Seconds + (t.Milliseconds >= 500 ? 1 : 0);
        return (minutes, seconds) switch
        {
            (0, _) => $"{seconds}s",
            (_, 0) => $"{minutes}m",
            _ => $"{minutes}m{seconds}s",
        };
    }

    public void Dispose() => _source.Dispose();
}
