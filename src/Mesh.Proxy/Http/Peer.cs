using System.IO.Pipelines;

namespace Mesh.Proxy.Http;

/// <summary>
/// One end of an inspected HTTP connection, the client or an upstream, as the inspector reads and writes it: on .NET's
/// asynchronous sockets (<see cref="SocketPeer"/>) or on the epoll transport (<see cref="EpollPeer"/>), which the
/// client's connection chose and its upstreams follow.
/// </summary>
internal abstract class Peer : IAsyncDisposable
{
    /// <summary>What arrives from it.</summary>
    public abstract PipeReader Reader { get; }

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Half-closes: no more bytes go to it (throws when it is gone).</summary>
    public abstract void ShutdownSend();

    /// <summary>Shuts it both ways, quietly: a pending read sees its end; it is not disposed under its readers.</summary>
    public abstract void Abort();

    /// <summary>Readable while no request is out: the peer closed it (or sent bytes nobody asked for).</summary>
    public abstract bool ReadableWhileIdle();

    /// <summary>Completes its reader and lets go of it: an upstream's socket is closed, a client's stays its owner's.</summary>
    public abstract ValueTask DisposeAsync();
}
