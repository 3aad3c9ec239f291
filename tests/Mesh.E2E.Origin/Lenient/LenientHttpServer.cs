using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Mesh.E2E.Origin.Lenient;

/// <summary>
/// An HTTP origin that accepts what the most lenient real servers accept, so that anything a proxy lets through
/// unexamined shows up in the log: leading empty lines, whitespace-split request lines, HTTP/0.9, obs-fold, framing
/// by <see cref="FramingDialect"/>, h2c upgrades (answered 101, then HTTP/2 served), WebSocket upgrades (101, then
/// an echo tunnel), HTTP/2 prior knowledge, and any number of requests on one connection whatever it asked for.
/// Logs every connection, every request it parsed (with its raw target and the path it routed on), every HTTP/2
/// request, and bytes it could not read as a request.
/// </summary>
/// <remarks>
/// Paths: /get, /anything[/...] and anything ending in .png answer 200; /status/N answers N; /admin answers 200 (a
/// page tests forbid); /ws switches to WebSocket when asked; /always-101 answers 101 h2c whatever was asked
/// (a misbehaving origin); everything else 404. Every HTTP/1 answer carries X-Mesh-E2E-Origin.
/// </remarks>
internal sealed class LenientHttpServer(IPEndPoint endpoint, FramingDialect dialect, OriginLog log)
{
    private readonly string _listener = dialect == FramingDialect.Lenient ? "lenient-http" : "literal-http";
    /// <summary>Binds and starts accepting; the listener lives as long as the process.</summary>
    public void Start()
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(endpoint);
        socket.Listen(128);
        _ = AcceptLoopAsync(socket);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            var client = await listener.AcceptAsync();
            client.NoDelay = true;
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var remote = Endpoint(client.RemoteEndPoint);
        var local = Endpoint(client.LocalEndPoint);
        log.Write(new OriginLogEntry("connection", _listener, remote, local));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // no test holds a connection longer
        await using var stream = new NetworkStream(client, ownsSocket: true);
        var input = new ConnectionInput(stream);
        try
        {
            while (await ServeOneAsync(input, stream, remote, local, cancel.Token))
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away
        }
    }

    /// <summary>Reads and answers one request; false when the connection is done.</summary>
    private async Task<bool> ServeOneAsync(ConnectionInput input, Stream output, string? remote, string? local, CancellationToken ct)
    {
        var outcome = await LenientRequestReader.ReadAsync(input, ct);
        if (outcome.Request is not { } request)
        {
            if (outcome.Unparsed is { } bytes) log.Write(new OriginLogEntry("unparsed", _listener, remote, local, Detail: Preview(bytes)));
            return false;
        }
        if (request.IsHttp2Preface)
        {
            log.Write(new OriginLogEntry("h2-preface", _listener, remote, local, Detail: "prior knowledge"));
            await Http2(input, output, remote, local).RunAsync(prefaceRead: true, upgradedPath: null, ct);
            return false;
        }

        var framing = request.IsHttp09 ? new Framing.None() : Framing.Of(request, dialect);
        long bodyBytes = framing switch
        {
            Framing.Chunked => await Framing.ReadChunkedAsync(input, ct),
            Framing.Length l => (await input.ReadExactAsync((int)Math.Min(l.Bytes, int.MaxValue), ct)).Length,
            _ => 0,
        };
        var path = request.EffectivePath;
        var upgrade = ChooseUpgrade(request, path);
        var status = framing is Framing.Invalid ? 400 : upgrade is not null ? 101 : StatusFor(path);
        log.Write(new OriginLogEntry("request", _listener, remote, local, Host: request.First("Host")?.Trim(' ', '\t'), Method: request.Method,
            Path: path, Protocol: request.IsHttp09 ? "HTTP/0.9" : request.Version, Status: status, Target: request.Target,
            Framing: Describe(framing), BodyBytes: bodyBytes, Upgrade: upgrade,
            Detail: outcome.SkippedEmptyLines > 0 ? $"skipped {outcome.SkippedEmptyLines} bytes of empty lines" : null));

        if (request.IsHttp09)
        {
            await output.WriteAsync(Encoding.ASCII.GetBytes($"origin: {status} for {path}\n"), ct);
            return false;
        }
        if (status == 400)
        {
            await WriteResponseAsync(output, 400, request.Method, "origin: unreadable framing\n", ct);
            return false;
        }
        switch (upgrade)
        {
            case "h2c":
                await output.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\n{HttpbinHandler.OriginHeader}: lenient\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"), ct);
                await Http2(input, output, remote, local).RunAsync(prefaceRead: false, upgradedPath: path, ct);
                return false;
            case "websocket":
#pragma warning disable CA5350 // RFC 6455 §4.2.2 prescribes SHA-1 for Sec-WebSocket-Accept; nothing is secured by it
                var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(
                    (request.First("Sec-WebSocket-Key") ?? "").Trim() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
                await output.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 101 Switching Protocols\r\n{HttpbinHandler.OriginHeader}: lenient\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"), ct);
                await EchoAsync(input, output, remote, local, ct);
                return false;
        }
        await WriteResponseAsync(output, status, request.Method, $"origin: {request.Method} {path} host={request.First("Host")?.Trim()}\n", ct);
        return true;
    }

    /// <summary>
    /// h2c wherever an Upgrade field lists it (with or without Connection: Upgrade or HTTP2-Settings, as the most
    /// eager servers do), else WebSocket for /ws; /always-101 switches to h2c unasked.
    /// </summary>
    private static string? ChooseUpgrade(LenientRequest request, string path)
    {
        var offered = request.Values("Upgrade").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (path == "/always-101" || offered.Any(p => p.Equals("h2c", StringComparison.OrdinalIgnoreCase))) return "h2c";
        return path == "/ws" && offered.Any(p => p.Equals("websocket", StringComparison.OrdinalIgnoreCase)) ? "websocket" : null;
    }

    public static int StatusFor(string path)
    {
        if (path is "/get" or "/anything" or "/admin" or "/ws" || path.StartsWith("/anything/", StringComparison.Ordinal)
            || path.EndsWith(".png", StringComparison.Ordinal)) return 200;
        const string prefix = "/status/";
        return path.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(path.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            && code is >= 200 and <= 599 ? code : 404;
    }

    private H2cSession Http2(ConnectionInput input, Stream output, string? remote, string? local) =>
        new(input, output, (method, path, authority, status) => log.Write(new OriginLogEntry("request", _listener, remote, local,
            Host: authority, Method: method, Path: LenientPath.Normalize(path), Protocol: "HTTP/2", Status: status, Target: path)), StatusFor);

    private async Task EchoAsync(ConnectionInput input, Stream output, string? remote, string? local, CancellationToken ct)
    {
        while (true)
        {
            var bytes = await input.ReadSomeAsync(ct);
            if (bytes.Length == 0) return;
            log.Write(new OriginLogEntry("tunnel", _listener, remote, local, BodyBytes: bytes.Length, Detail: Preview(bytes)));
            await output.WriteAsync(bytes, ct);
        }
    }

    private static async Task WriteResponseAsync(Stream output, int status, string method, string body, CancellationToken ct)
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} {Reason(status)}\r\n{HttpbinHandler.OriginHeader}: lenient\r\nContent-Type: text/plain\r\nContent-Length: {content.Length}\r\n\r\n";
        await output.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        if (method != "HEAD") await output.WriteAsync(content, ct);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        418 => "I'm a teapot",
        _ => "Status",
    };

    private static string Describe(Framing.Body framing) => framing switch
    {
        Framing.Chunked => "chunked",
        Framing.Length l => $"content-length {l.Bytes}",
        Framing.Invalid i => $"invalid: {i.Why}",
        _ => "none",
    };

    /// <summary>The first bytes, printable: other bytes as \xNN.</summary>
    internal static string Preview(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes[..Math.Min(bytes.Length, 96)])
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : $"\\x{b:x2}");
        }
        return text.ToString();
    }

    private static string? Endpoint(EndPoint? endpoint) =>
        endpoint is IPEndPoint ip ? HttpbinHandler.Endpoint(ip.Address, ip.Port) : null;
}
