using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Mesh.Proxy.Transport;
using static Mesh.Proxy.Transport.EpollNative;

namespace Mesh.Proxy.Http;

/// <summary>
/// A <see cref="Peer"/> on the epoll transport (<see cref="EpollSocket"/>): a client that .NET never waited on, and the
/// upstreams its requests go to, connected on the client's loop, so that a request's steps run on one thread.
/// </summary>
internal sealed class EpollPeer : Peer
{
    private readonly DescriptorHandle? _owned;

    private EpollPeer(EpollSocket socket, StreamPipeReaderOptions options, ReadOnlySpan<byte> firstBytes, DescriptorHandle? owned)
    {
        Socket = socket;
        Reader = new EpollSocketReader(socket, options.BufferSize, options.MinimumReadSize, firstBytes);
        _owned = owned;
    }

    public EpollSocket Socket { get; }

    public override PipeReader Reader { get; }

    /// <summary>The client, read from <paramref name="firstBytes"/> (read before, while queued) on.</summary>
    public static EpollPeer ForClient(EpollTransport transport, Socket client, ReadOnlySpan<byte> firstBytes, StreamPipeReaderOptions options) =>
        new(transport.Register(client), options, firstBytes, owned: null);

    /// <summary>An upstream connection to <paramref name="endpoint"/>, connected on <paramref name="loop"/> within <paramref name="timeout"/>.</summary>
    public static async Task<Peer> ConnectAsync(EpollLoop loop, IPEndPoint endpoint, TimeSpan timeout, StreamPipeReaderOptions options,
        CancellationToken cancellationToken)
    {
        var fd = EpollTransport.OpenUpstream(endpoint, out var errno);
        if (fd < 0) throw SocketError(errno);
        var handle = new DescriptorHandle(fd);
        var socket = new EpollSocket(loop, handle, connecting: true);
        try
        {
            loop.Start(socket);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        var peer = new EpollPeer(socket, options, firstBytes: default, handle);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await socket.WaitWritableAsync(deadline.Token);
            var error = socket.PendingError();
            if (error != 0) throw SocketError(error);
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Socket.SendAsync(data, cancellationToken);

    public override void ShutdownSend() => Socket.Shutdown(ShutWr, quiet: false);

    public override void Abort() => Socket.Shutdown(ShutRdwr, quiet: true);

    public override bool ReadableWhileIdle() => Socket.PeekReadable();

    /// <summary>
    /// Ends it with a reset (from any thread, <see cref="EpollSocket.Reset"/>): nothing more is read or sent, every wait
    /// fails, and the reset goes out as its owner closes the socket, after <see cref="DisposeAsync"/>.
    /// </summary>
    public void Reset() => Socket.Reset();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await Reader.CompleteAsync();
        }
        finally
        {
            // Whatever happened: a client's Socket cannot close while the loop holds its handle (.NET spins until then).
            Socket.Loop.Abort(Socket);
            await Socket.HandedBack;
            _owned?.Dispose();
        }
    }
}
