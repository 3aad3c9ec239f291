using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesh.Proxy.Tests.Support;

/// <summary>One request as the origin received it, with its decoded body.</summary>
internal sealed record OriginRequest(int Connection, string Method, string Target, List<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public override string ToString() => $"#{Connection} {Method} {Target} ({Body.Length} bytes)";
}

/// <summary>
/// A small keep-alive HTTP/1.1 origin written on raw sockets, so the test sees exactly what the proxy sent:
/// it records every request (with its body, decoded from Content-Length or chunked framing), answers
/// <c>100 Continue</c> to <c>Expect: 100-continue</c>, answers <c>200</c> with "METHOD target length" (no body for
/// HEAD), a chunked 200 for targets ending in <c>/chunked</c>, a close-delimited one for <c>/close-delimited</c>,
/// a chunked 200 that trickles one chunk every 50 ms for N ms for targets ending in <c>/trickle-N</c>, and
/// <c>101 Switching Protocols</c> to an upgrade of <c>/upgrade</c>, after which it echoes raw bytes.
/// </summary>
internal sealed class HttpOrigin : IAsyncDisposable
{
    private readonly TcpOrigin _tcp;
    private readonly ConcurrentQueue<OriginRequest> _requests = new();
    private readonly bool _closeIdle;
    private int _connections;
    private int _idleCloses;

    /// <param name="closeIdle">Close each connection right after its first response, as an origin whose keep-alive
    /// idle timeout has passed would (without announcing it: a server may close an idle connection at any time).</param>
    public HttpOrigin(bool closeIdle = false)
    {
        _closeIdle = closeIdle;
        _tcp = TcpOrigin.With(ServeAsync);
    }

    /// <summary>Connections the origin closed as idle (see the constructor).</summary>
    public int IdleCloses => Volatile.Read(ref _idleCloses);

    public IPEndPoint Endpoint => _tcp.Endpoint;

    public int Port => _tcp.Port;

    public int Accepted => _tcp.Accepted;

    public IReadOnlyList<OriginRequest> Requests => [.. _requests];

    /// <summary>What the origin answers for a request: the proxy must relay exactly this.</summary>
    public static string BodyFor(string method, string target, int bodyLength) => $"{method} {target} {bodyLength}";

    private async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        var connection = Interlocked.Increment(ref _connections);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new WireReader(stream);
        while (true)
        {
            var head = await reader.ReadHeadAsync(ct);
            if (head is null)
            {
                socket.Shutdown(SocketShutdown.Send);
                return;
            }
            var (startLine, headers) = head.Value;
            var parts = startLine.Split(' ');
            var request = new OriginRequest(connection, parts[0], parts[1], headers, []);
            if (string.Equals(request.Header("expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
            {
                await Net.SendAsync(socket, "HTTP/1.1 100 Continue\r\n\r\n", ct);
            }
            if (request.Header("transfer-encoding") is not null) request = request with { Body = await reader.ReadChunkedAsync(ct) };
            else if (request.Header("content-length") is { } length) request = request with { Body = await reader.ReadExactAsync(long.Parse(length, System.Globalization.CultureInfo.InvariantCulture), ct) };
            _requests.Enqueue(request);

            if (request.Target == "/upgrade" && request.Header("upgrade") is { } protocol)
            {
                await Net.SendAsync(socket, $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: {protocol}\r\n\r\n", ct);
                await EchoRawAsync(socket, reader, ct);
                return;
            }

            var body = Encoding.ASCII.GetBytes(BodyFor(request.Method, request.Target, request.Body.Length));
            var close = string.Equals(request.Header("connection"), "close", StringComparison.OrdinalIgnoreCase);
            var response = new MemoryStream();
            if (request.Target.EndsWith("/close-delimited", StringComparison.Ordinal))
            {
                // No length at all: the body ends when the connection does (RFC 9112 §6.3 rule 8).
                await Net.SendAsync(socket, Net.Ascii("HTTP/1.1 200 OK\r\nX-Origin: test\r\n\r\n"), ct);
                await Net.SendAsync(socket, body, ct);
                socket.Shutdown(SocketShutdown.Send);
                return;
            }
            if (TrickleMilliseconds(request.Target) is { } trickle)
            {
                await TrickleAsync(socket, trickle, ct);
                continue;
            }
            if (request.Method == "HEAD")
            {
                response.Write(Net.Ascii($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nX-Origin: test\r\n\r\n"));
            }
            else if (request.Target.EndsWith("/chunked", StringComparison.Ordinal))
            {
                response.Write(Net.Ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Origin: test\r\n\r\n"));
                foreach (var piece in body.Chunk(5))
                {
                    response.Write(Net.Ascii($"{piece.Length:x}\r\n"));
                    response.Write(piece);
                    response.Write("\r\n"u8);
                }
                response.Write("0\r\n\r\n"u8);
            }
            else
            {
                response.Write(Net.Ascii($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nX-Origin: test\r\n{(close ? "Connection: close\r\n" : "")}\r\n"));
                response.Write(body);
            }
            await Net.SendAsync(socket, response.ToArray(), ct);
            if (_closeIdle)
            {
                socket.Shutdown(SocketShutdown.Send);
                socket.Close();
                Interlocked.Increment(ref _idleCloses);
                return;
            }
            if (close)
            {
                socket.Shutdown(SocketShutdown.Send);
                return;
            }
        }
    }

    private static int? TrickleMilliseconds(string target)
    {
        var at = target.LastIndexOf("/trickle-", StringComparison.Ordinal);
        return at >= 0 && int.TryParse(target.AsSpan(at + "/trickle-".Length), System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : null;
    }

    /// <summary>A response that is still arriving: a chunk ("tick\n") every 50 ms for the given time, then the end.</summary>
    private static async Task TrickleAsync(Socket socket, int milliseconds, CancellationToken ct)
    {
        await Net.SendAsync(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Origin: test\r\n\r\n", ct);
        var until = DateTime.UtcNow.AddMilliseconds(milliseconds);
        while (DateTime.UtcNow < until)
        {
            await Net.SendAsync(socket, "5\r\ntick\n\r\n", ct);
            await Task.Delay(50, ct);
        }
        await Net.SendAsync(socket, "0\r\n\r\n", ct);
    }

    private static async Task EchoRawAsync(Socket socket, WireReader reader, CancellationToken ct)
    {
        if (!reader.Buffered.IsEmpty)
        {
            await Net.SendAsync(socket, reader.Buffered, ct);
            reader.Consume(reader.Buffered.Length);
        }
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (read == 0)
            {
                socket.Shutdown(SocketShutdown.Send);
                return;
            }
            await Net.SendAsync(socket, buffer.AsMemory(0, read), ct);
        }
    }

    public ValueTask DisposeAsync() => _tcp.DisposeAsync();
}
