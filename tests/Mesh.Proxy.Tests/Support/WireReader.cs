using System.Globalization;
using System.Text;

namespace Mesh.Proxy.Tests.Support;

/// <summary>
/// Buffered reads of HTTP/1.1 wire text from a stream: lines, exact counts, chunked bodies, whole responses.
/// Used by the test origin (requests) and the test clients (responses); bytes beyond a message stay buffered
/// for the next one, so pipelined messages read correctly.
/// </summary>
internal sealed class WireReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public Stream Stream { get; } = stream;

    /// <summary>Bytes read from the stream but not yet handed out.</summary>
    public ReadOnlyMemory<byte> Buffered => _buffer.AsMemory(_start, _end - _start);

    public void Consume(int count) => _start += count;

    /// <summary>A line without its CRLF, or null at end of stream before any byte of it.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(ct)) return line.Length == 0 ? null : throw new IOException("stream ended inside a line");
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf < 0)
            {
                line.Append(Encoding.Latin1.GetString(span));
                _start = _end;
                continue;
            }
            line.Append(Encoding.Latin1.GetString(span[..lf]));
            _start += lf + 1;
            if (line.Length > 0 && line[^1] == '\r') line.Length--;
            return line.ToString();
        }
    }

    public async Task<byte[]> ReadExactAsync(long count, CancellationToken ct)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(ct)) throw new IOException($"stream ended after {filled} of {count} bytes");
            var take = (int)Math.Min(count - filled, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(filled));
            _start += take;
            filled += take;
        }
        return result;
    }

    public async Task<byte[]> ReadToEndAsync(CancellationToken ct)
    {
        var all = new MemoryStream();
        while (true)
        {
            all.Write(_buffer, _start, _end - _start);
            _start = _end;
            if (!await FillAsync(ct)) return all.ToArray();
        }
    }

    /// <summary>Decodes a chunked body (trailers read and dropped).</summary>
    public async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
    {
        var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(ct) ?? throw new IOException("stream ended before a chunk size");
            var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while (!string.IsNullOrEmpty(await ReadLineAsync(ct)))
                {
                }
                return body.ToArray();
            }
            body.Write(await ReadExactAsync(size, ct));
            if (await ReadLineAsync(ct) != "") throw new IOException("chunk data not followed by CRLF");
        }
    }

    /// <summary>A start line and its header fields, or null at a clean end of stream.</summary>
    public async Task<(string StartLine, List<KeyValuePair<string, string>> Headers)?> ReadHeadAsync(CancellationToken ct)
    {
        var start = await ReadLineAsync(ct);
        if (start is null) return null;
        var headers = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var line = await ReadLineAsync(ct) ?? throw new IOException("stream ended inside a head");
            if (line.Length == 0) return (start, headers);
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
    }

    /// <summary>One response (interim ones included, as their own result); the body is read by its framing.</summary>
    public async Task<HttpWireResponse> ReadResponseAsync(CancellationToken ct, bool headRequest = false)
    {
        var head = await ReadHeadAsync(ct) ?? throw new IOException("the connection ended before a response");
        var parts = head.StartLine.Split(' ', 3);
        var status = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var response = new HttpWireResponse(status, head.Headers, []);
        if (status is < 200 or 204 or 304 || headRequest) return response;
        if (response.Header("transfer-encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return response with { Body = await ReadChunkedAsync(ct) };
        }
        if (response.Header("content-length") is { } length)
        {
            return response with { Body = await ReadExactAsync(long.Parse(length, CultureInfo.InvariantCulture), ct) };
        }
        return response with { Body = await ReadToEndAsync(ct) };
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start == _end) _start = _end = 0;
        if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        var read = await Stream.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += read;
        return read > 0;
    }
}

internal sealed record HttpWireResponse(int Status, List<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{Status} [{string.Join(", ", Headers.Select(h => $"{h.Key}: {h.Value}"))}] {BodyText}";
}
