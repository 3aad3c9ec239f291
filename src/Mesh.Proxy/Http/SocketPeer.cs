using System.IO.Pipelines;
using System.Net.Sockets;
using Mesh.Proxy.Forwarding;

namespace Mesh.Proxy.Http;

/// <summary>A <see cref="Peer"/> on .NET's asynchronous sockets: a <see cref="PipeReader"/> over a <see cref="NetworkStream"/>.</summary>
internal sealed class SocketPeer(Socket socket, PipeReader reader, bool ownsSocket) : Peer
{
    /// <summary>An upstream connection, whose socket it owns.</summary>
    public SocketPeer(Socket socket, StreamPipeReaderOptions options)
        : this(socket, PipeReader.Create(new NetworkStream(socket, ownsSocket: false), options), ownsSocket: true)
    {
    }

    public override PipeReader Reader { get; } = reader;

    public override ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        TcpPump.SendAllAsync(socket, data, cancellationToken);

    public override void ShutdownSend() => socket.Shutdown(SocketShutdown.Send);

    public override void Abort()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already gone
        }
    }

    public override bool ReadableWhileIdle() => socket.Poll(0, SelectMode.SelectRead);

    public override async ValueTask DisposeAsync()
    {
        await Reader.CompleteAsync();
        if (ownsSocket) socket.Dispose();
    }
}
