using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Proxy.Tests.Support;

/// <summary>
/// A loopback TCP server standing in for an external origin. It counts the connections it accepts (a denied flow
/// must add none) and runs a handler per connection; <see cref="Echo"/> and <see cref="Banner"/> are the usual ones.
/// </summary>
internal sealed class TcpOrigin : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Func<Socket, TcpOrigin, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _accepted = [];
    private readonly ConcurrentBag<Task> _handlers = [];
    private readonly Task _acceptLoop;
    private int _acceptCount;
    private int _eofCount;

    private TcpOrigin(Func<Socket, TcpOrigin, CancellationToken, Task> handler)
    {
        _handler = handler;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(128);
        Endpoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint Endpoint { get; }

    public int Port => Endpoint.Port;

    public int Accepted => Volatile.Read(ref _acceptCount);

    /// <summary>Connections on which the server read the client's end of stream (a half-close or close arrived).</summary>
    public int EndsOfStreamSeen => Volatile.Read(ref _eofCount);

    /// <summary>Echoes every byte until the client ends its side, then ends its own.</summary>
    public static TcpOrigin Echo() => new(static (s, o, ct) => o.EchoAsync(s, ct));

    /// <summary>Speaks first (the banner) as soon as it accepts, then echoes.</summary>
    public static TcpOrigin Banner(byte[] banner) => new(async (s, o, ct) =>
    {
        await Net.SendAsync(s, banner, ct);
        await o.EchoAsync(s, ct);
    });

    public static TcpOrigin With(Func<Socket, CancellationToken, Task> handler) => new((s, _, ct) => handler(s, ct));

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            Interlocked.Increment(ref _acceptCount);
            socket.NoDelay = true;
            _accepted.Add(socket);
            _handlers.Add(Task.Run(async () =>
            {
                try
                {
                    await _handler(socket, this, _stop.Token);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
                {
                    // the proxy or the test ended the connection
                }
                finally
                {
                    socket.Dispose();
                }
            }));
        }
    }

    private async Task EchoAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (read == 0)
            {
                Interlocked.Increment(ref _eofCount);
                socket.Shutdown(SocketShutdown.Send);
                return;
            }
            await Net.SendAsync(socket, buffer.AsMemory(0, read), ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        foreach (var socket in _accepted) socket.Dispose();
        await Task.WhenAll(_handlers);
        _stop.Dispose();
    }
}
