using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesh.E2E.Adversarial;

/// <summary>How a connection ended, as the client saw it.</summary>
internal enum Ending
{
    /// <summary>The peer closed cleanly (FIN).</summary>
    Closed,

    /// <summary>The peer reset it (RST).</summary>
    Reset,

    /// <summary>Still open when the time bound passed.</summary>
    StillOpen,
}

/// <summary>An HTTP/1 response as the client read it, byte for byte.</summary>
internal sealed record HttpAnswer(int Status, string Head, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>Whether the origin wrote it (every origin answer carries X-Mesh-E2E-Origin); else the proxy did.</summary>
    public bool FromOrigin => Headers.ContainsKey("x-mesh-e2e-origin");

    public string BodyText => Encoding.Latin1.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    public override string ToString() => $"{Head.Split("\r\n")[0]} ({(FromOrigin ? "from the origin" : "from the proxy")}) {BodyText.Trim()}";
}

/// <summary>
/// A client connection from the pod (intercepted like any pod traffic) that sends exactly the bytes a case gives it,
/// split exactly as the case says, and reads back responses or how the connection ended.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _resetSeen;

    private RawConnection(Socket socket) => _socket = socket;

    /// <summary>The bytes received and not yet read as a response (e.g. HTTP/2 frames after a 101).</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    public static async Task<RawConnection> OpenAsync(string podNamespace, string address, int port)
    {
        using var deadline = new CancellationTokenSource(TimeBounds.Answer);
        return new RawConnection(await PodSockets.ConnectAsync(podNamespace, new IPEndPoint(IPAddress.Parse(address), port), deadline.Token));
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Sends; a connection the proxy already reset or closed swallows the bytes (the reset is reported by the reads).</summary>
    public async Task SendAsync(byte[] bytes)
    {
        using var deadline = new CancellationTokenSource(TimeBounds.Answer);
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None, deadline.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            _resetSeen |= e.SocketErrorCode == SocketError.ConnectionReset;
        }
    }

    /// <summary>Sends in pieces of <paramref name="size"/> bytes with a pause between them (each its own segment).</summary>
    public async Task SendInPiecesAsync(byte[] bytes, int size, TimeSpan pause)
    {
        for (var i = 0; i < bytes.Length; i += size)
        {
            await SendAsync(bytes[i..Math.Min(bytes.Length, i + size)]);
            await Task.Delay(pause);
        }
    }

    /// <summary>Half-closes: the client will send nothing more.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>The next response, or null when the connection ended (see <see cref="EndingAsync"/>) before one came.</summary>
    public async Task<HttpAnswer?> ReadResponseAsync(bool headRequest = false)
    {
        using var deadline = new CancellationTokenSource(TimeBounds.Answer);
        var ct = deadline.Token;
        try
        {
            var headEnd = await FindAsync("\r\n\r\n"u8.ToArray(), ct);
            if (headEnd < 0) return null;
            var head = Encoding.Latin1.GetString(_buffer, _start, headEnd);
            _start += headEnd + 4;
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ', 3);
            if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                throw new InvalidDataException($"not an HTTP response: {lines[0]}");
            }
            var headers = new Dictionary<string, string>();
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
            byte[] body;
            if (headRequest || status is < 200 or 204 or 304) body = [];
            else if (headers.TryGetValue("content-length", out var length)) body = await ReadExactAsync(int.Parse(length, CultureInfo.InvariantCulture), ct);
            else if (headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase)) body = await ReadChunkedAsync(ct);
            else body = await ReadUntilCloseAsync(ct);
            return new HttpAnswer(status, head, headers, body);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>Reads (and discards) until the connection ends or the bound passes; says how it ended.</summary>
    public async Task<Ending> EndingAsync(TimeSpan? bound = null)
    {
        using var deadline = new CancellationTokenSource(bound ?? TimeBounds.Answer);
        try
        {
            while (await FillAsync(deadline.Token))
            {
                _start = _end;
            }
            return _resetSeen ? Ending.Reset : Ending.Closed;
        }
        catch (OperationCanceledException)
        {
            return Ending.StillOpen;
        }
    }

    /// <summary>Everything received until the connection ends or the bound passes.</summary>
    public async Task<byte[]> ReadAvailableAsync(TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        try
        {
            while (await FillAsync(deadline.Token))
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
        var bytes = Pending.ToArray();
        _start = _end;
        return bytes;
    }

    public void Dispose() => _socket.Dispose();

    private async Task<int> FindAsync(byte[] marker, CancellationToken ct)
    {
        while (true)
        {
            var index = Pending.IndexOf(marker);
            if (index >= 0) return index;
            if (!await FillAsync(ct)) return -1;
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken ct)
    {
        while (_end - _start < count && await FillAsync(ct))
        {
        }
        var take = Math.Min(count, _end - _start);
        var bytes = _buffer.AsSpan(_start, take).ToArray();
        _start += take;
        return bytes;
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
    {
        var body = new List<byte>();
        while (true)
        {
            var lineEnd = await FindAsync("\r\n"u8.ToArray(), ct);
            if (lineEnd < 0) return [.. body];
            var size = int.Parse(Encoding.ASCII.GetString(_buffer, _start, lineEnd).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            _start += lineEnd + 2;
            if (size == 0)
            {
                await FindAsync("\r\n"u8.ToArray(), ct);
                _start += 2;
                return [.. body];
            }
            body.AddRange(await ReadExactAsync(size, ct));
            await ReadExactAsync(2, ct);
        }
    }

    private async Task<byte[]> ReadUntilCloseAsync(CancellationToken ct)
    {
        while (await FillAsync(ct))
        {
        }
        var bytes = Pending.ToArray();
        _start = _end;
        return bytes;
    }

    /// <summary>Reads more into the buffer; false at the end of the stream (clean close or reset).</summary>
    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_eof) return false;
        if (_start == _end) _start = _end = 0;
        if (_buffer.Length - _end < 4096)
        {
            var larger = new byte[_buffer.Length * 2];
            _buffer.AsSpan(_start, _end - _start).CopyTo(larger);
            _end -= _start;
            _start = 0;
            _buffer = larger;
        }
        int read;
        try
        {
            read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            _resetSeen = true;
            _eof = true;
            return false;
        }
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _end += read;
        return true;
    }
}
