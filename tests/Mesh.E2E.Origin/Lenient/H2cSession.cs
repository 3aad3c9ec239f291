using System.Buffers.Binary;
using System.Text;

namespace Mesh.E2E.Origin.Lenient;

/// <summary>
/// The server side of cleartext HTTP/2, after an h2c upgrade (RFC 7540 §3.2) or the prior-knowledge preface: every
/// HEADERS frame is logged as a request with its :method and :path, and answered with a HEADERS frame carrying the
/// status the same path gets over HTTP/1. Enough to prove an HTTP/2 request reached the origin, not a full server.
/// </summary>
internal sealed class H2cSession(ConnectionInput input, Stream output, Action<string, string, string?, int> logRequest, Func<string, int> statusFor)
{
    private const byte Data = 0, Headers = 1, Settings = 4, Ping = 6, GoAway = 7, Continuation = 9;
    private const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8, Priority = 0x20;
    private static readonly byte[] ClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private readonly HpackDecoder _hpack = new();

    /// <summary>
    /// Runs the session. <paramref name="prefaceRead"/>: the client preface's first line has already been read as a
    /// request line and its empty "header section" (prior knowledge seen by an HTTP/1 parser); "SM\r\n\r\n" follows.
    /// <paramref name="upgradedPath"/>: the request that asked for the upgrade is stream 1, answered first.
    /// </summary>
    public async Task RunAsync(bool prefaceRead, string? upgradedPath, CancellationToken ct)
    {
        await WriteFrameAsync(Settings, 0, 0, [], ct);
        var expected = prefaceRead ? ClientPreface.AsMemory(18) : ClientPreface;
        var preface = await input.ReadExactAsync(expected.Length, ct);
        if (!preface.AsSpan().SequenceEqual(expected.Span)) return;
        if (upgradedPath is not null) await RespondAsync(1, statusFor(upgradedPath), ct);
        var block = new List<byte>();
        while (true)
        {
            var header = await input.ReadExactAsync(9, ct);
            if (header.Length < 9) return;
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var (type, flags) = (header[3], header[4]);
            var stream = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7FFFFFFF;
            var payload = await input.ReadExactAsync(length, ct);
            if (payload.Length < length) return;
            switch (type)
            {
                case Settings when (flags & Ack) == 0:
                    await WriteFrameAsync(Settings, Ack, 0, [], ct);
                    break;
                case Ping when (flags & Ack) == 0:
                    await WriteFrameAsync(Ping, Ack, 0, payload, ct);
                    break;
                case GoAway:
                    return;
                case Headers or Continuation:
                    block.AddRange(type == Headers ? Fragment(payload, flags) : payload);
                    if ((flags & EndHeaders) != 0)
                    {
                        await OnHeadersAsync(stream, [.. block], ct);
                        block.Clear();
                    }
                    break;
                case Data:
                default:
                    break;
            }
        }
    }

    private async Task OnHeadersAsync(int stream, byte[] block, CancellationToken ct)
    {
        List<(string Name, string Value)> fields;
        try
        {
            fields = _hpack.Decode(block);
        }
        catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            fields = [(":path", "(undecodable)")];
        }
        string Get(string name) => fields.FirstOrDefault(f => f.Name == name).Value ?? "";
        var path = Get(":path");
        var status = statusFor(LenientPath.Normalize(path));
        logRequest(Get(":method"), path, Get(":authority"), status);
        await RespondAsync(stream, status, ct);
    }

    private static byte[] Fragment(byte[] payload, byte flags)
    {
        var start = 0;
        var pad = 0;
        if ((flags & Padded) != 0)
        {
            pad = payload[0];
            start = 1;
        }
        if ((flags & Priority) != 0) start += 5;
        return payload[start..(payload.Length - pad)];
    }

    // :status as a literal without indexing, name from static index 8 (RFC 7541 §6.2.2).
    private Task RespondAsync(int stream, int status, CancellationToken ct)
    {
        var code = Encoding.ASCII.GetBytes(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return WriteFrameAsync(Headers, EndStream | EndHeaders, stream, [0x08, (byte)code.Length, .. code], ct);
    }

    private async Task WriteFrameAsync(byte type, byte flags, int stream, byte[] payload, CancellationToken ct)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        await output.WriteAsync(frame, ct);
    }
}
