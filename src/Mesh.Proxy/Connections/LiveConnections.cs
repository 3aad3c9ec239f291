using System.Globalization;

namespace Mesh.Proxy.Connections;

/// <summary>
/// A node's connections: those accepted and handed to a connection actor whose flow has not started yet, and the flow
/// tasks still running. A stopping node stops its connection actors, whose flow tasks then unwind on their own
/// threads; its host waits for the running ones to drain so nothing outlives the node. Both count against
/// <see cref="Limit"/>, at which the listeners pause accepting (<see cref="HasRoom"/>): every connection costs two
/// descriptors, and a .NET process that runs out of them dies ("Out of memory.", seen with a proxy at its open-files
/// limit: the runtime could not go on once descriptors were gone).
/// </summary>
internal sealed class LiveConnections(int limit = int.MaxValue)
{
    /// <summary>
    /// Descriptors kept for everything but connections, beyond those open as the node starts: <c>mesh run</c> opens about 70
    /// more after that (267 idle against 198 then; the admin endpoint, Akka, the manifest watch), and a process at its
    /// limit must still open the odd one (a DNS lookup, a new upstream for an HTTP client).
    /// </summary>
    private const int Reserve = 128;

    /// <summary>How often a paused .NET accept loop looks for room again.</summary>
    private static readonly TimeSpan PausedLook = TimeSpan.FromMilliseconds(50);

    private int _count;
    private int _handedOver;
    private TaskCompletionSource? _drained;

    /// <summary>Flow tasks running.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The most connections held at once (<see cref="ProxyOptions.MaxConnections"/>).</summary>
    public int Limit => limit;

    /// <summary>Whether a listener may accept one more connection.</summary>
    public bool HasRoom => Count + Volatile.Read(ref _handedOver) < limit;

    /// <summary>A connection accepted and handed to its actor: counted until its flow starts (<see cref="Opened"/>).</summary>
    public void Accepted() => Interlocked.Increment(ref _handedOver);

    /// <summary>A connection counted by <see cref="Accepted"/> that closed before reaching an actor (a refused CONNECT).</summary>
    public void Abandoned() => Interlocked.Decrement(ref _handedOver);

    /// <summary>
    /// For a .NET accept loop: returns at once while there is room; otherwise says the listener pauses, waits until
    /// there is, looking every 50 ms (as the epoll acceptor rests), and says it resumes. False when
    /// <paramref name="listener"/> closed meanwhile, which no accept would report while none is tried.
    /// </summary>
    public async ValueTask<bool> WaitForRoomAsync(System.Net.Sockets.Socket listener, Microsoft.Extensions.Logging.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(listener);
        if (HasRoom) return true;
        var endpoint = listener.LocalEndPoint!;
        Observability.ProxyLog.AcceptPaused(logger, endpoint, limit);
        while (!HasRoom)
        {
            if (listener.SafeHandle.IsClosed) return false;
            await Task.Delay(PausedLook).ConfigureAwait(false);
        }
        Observability.ProxyLog.AcceptResumed(logger, endpoint);
        return true;
    }

    /// <summary>A flow task started, for a connection counted by <see cref="Accepted"/>.</summary>
    public void Opened()
    {
        Interlocked.Increment(ref _count);
        Interlocked.Decrement(ref _handedOver);
    }

    public void Closed()
    {
        if (Interlocked.Decrement(ref _count) == 0) Volatile.Read(ref _drained)?.TrySetResult();
    }

    /// <summary>Completes once no flow task runs (at once when none does).</summary>
    public Task WhenDrainedAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (Count == 0) drained.TrySetResult();
        return drained.Task;
    }

    /// <summary>
    /// The limit when none is configured: half of what the process's open-files limit leaves beyond the descriptors
    /// open now and <see cref="Reserve"/> (HAProxy derives its maxconn from the same limit); at least 16. Unlimited
    /// where the limit cannot be read (not Linux).
    /// </summary>
    public static int AutoLimit()
    {
        if (!OperatingSystem.IsLinux()) return int.MaxValue;
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, _, var value, ..] ? value : "unlimited";
        if (!long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var files)) return int.MaxValue;
        var open = Directory.GetFiles("/proc/self/fd").Length;
        return (int)Math.Clamp((files - open - Reserve) / 2, 16, int.MaxValue);
    }
}
