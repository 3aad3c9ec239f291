using System.Net;
using System.Net.Sockets;
using System.Text;


namespace Mesh.Proxy.Tests.Support;

/// <summary>Socket helpers for the tests: every wait is bounded by a token the caller gives.</summary>
internal static class Net
{
    /// <summary>The per-test time bound (dilated by MESH_TEST_TIMEFACTOR).</summary>
    public static TimeSpan TestBound { get; } = TestTime.Dilate(TimeSpan.FromSeconds(8));

    public static CancellationTokenSource Deadline(TimeSpan? within = null) => new(within is { } w ? TestTime.Dilate(w) : TestBound);

    /// <summary>A loopback port nothing listens on right now (bind to 0, read it, release it).</summary>
    public static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, ct);
            data = data[sent..];
        }
    }

    public static Task SendAsync(Socket socket, string text, CancellationToken ct) => SendAsync(socket, Ascii(text), ct);

    /// <summary>Reads exactly <paramref name="count"/> bytes; fails if the peer ends first.</summary>
    public static async Task<byte[]> ReceiveExactAsync(Socket socket, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, ct);
            if (read == 0) Assert.Fail($"the peer closed after {filled} of {count} bytes");
            filled += read;
        }
        return buffer;
    }

    /// <summary>Reads until the peer ends its side (a 0-byte read); a reset is a failure.</summary>
    public static async Task<byte[]> ReceiveToEndAsync(Socket socket, CancellationToken ct)
    {
        var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (read == 0) return all.ToArray();
            all.Write(buffer, 0, read);
        }
    }

    /// <summary>How a connection the proxy refused to serve ended, as the client sees it.</summary>
    public enum Ending
    {
        Reset,
        Closed,
    }

    /// <summary>
    /// Reads until the connection ends and says how: a reset (the proxy's denial) or an orderly close.
    /// Data arriving first is a failure: a denied connection must carry no bytes.
    /// </summary>
    public static async Task<Ending> ExpectEndAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[1024];
        try
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            Assert.True(read == 0, $"expected the connection to end, got {read} bytes: {Encoding.ASCII.GetString(buffer, 0, read)}");
            return Ending.Closed;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return Ending.Reset;
        }
    }

    /// <summary>
    /// Connects and expects the proxy to reset the connection at once (on accept). The reset can win the race with
    /// the kernel telling the client its connect completed, so it may surface from the connect itself.
    /// </summary>
    public static async Task<Ending> ConnectExpectingEndAsync(Func<CancellationToken, Task<Socket>> connect, CancellationToken ct)
    {
        Socket socket;
        try
        {
            socket = await connect(ct);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return Ending.Reset;
        }
        using (socket) return await ExpectEndAsync(socket, ct);
    }

    /// <summary>Connects straight to an endpoint (no proxy), bounded.</summary>
    public static async Task<Socket> ConnectDirectAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Asserts a connection attempt to <paramref name="endpoint"/> is refused (nothing listens).</summary>
    public static async Task ExpectRefusedAsync(Func<CancellationToken, Task<Socket>> connect, CancellationToken ct)
    {
        var error = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var socket = await connect(ct);
        });
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }
}
