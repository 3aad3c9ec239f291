namespace Mesh.Deploy.Cluster;

/// <summary>
/// Shows what a command is waiting for while it waits: a spinner with a changing status on a terminal, a line per
/// change otherwise (logs, CI). The work reports its status through the callback it is given.
/// </summary>
internal interface IProgressDisplay
{
    Task<T> ShowAsync<T>(string status, Func<Action<string>, Task<T>> work);
}

/// <summary>A line on the writer for the first status and for each one that differs from the last.</summary>
internal sealed class LineProgress(TextWriter writer) : IProgressDisplay
{
    public async Task<T> ShowAsync<T>(string status, Func<Action<string>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var last = status;
        var gate = new Lock();
        writer.WriteLine(status);
        return await work(next =>
        {
            lock (gate)
            {
                if (next == last) return;
                last = next;
                writer.WriteLine(next);
            }
        }).ConfigureAwait(false);
    }
}
