namespace Mesh.E2E.Origin.Lenient;

/// <summary>
/// Buffered reads of one connection, byte-exact: lines end at LF (a CR before it is dropped, a CR anywhere else is
/// kept for the caller to treat as whitespace), nothing is read past what a step needs except into this buffer.
/// </summary>
internal sealed class ConnectionInput(Stream stream)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public Stream Stream { get; } = stream;

    /// <summary>The next byte without consuming it; -1 at end of stream.</summary>
    public async ValueTask<int> PeekAsync(CancellationToken ct) => await FillAsync(1, ct) ? _buffer[_start] : -1;

    public void Skip(int count) => _start += count;

    /// <summary>
    /// One line without its LF (and without a CR right before the LF); null at end of stream before any byte.
    /// A line longer than <paramref name="max"/> is returned as far as it goes, flagged by <paramref name="truncated"/>.
    /// <paramref name="stopAtControl"/>: a byte that no text protocol sends ends the read early (a TLS record, say).
    /// </summary>
    public async ValueTask<(byte[]? Line, bool Truncated)> ReadLineAsync(int max, bool stopAtControl, CancellationToken ct)
    {
        var scanned = 0;
        while (true)
        {
            var available = _end - _start;
            var window = _buffer.AsSpan(_start, available);
            var lf = window[scanned..].IndexOf((byte)'\n');
            if (stopAtControl && HasControl(window[scanned..(lf < 0 ? available : scanned + lf)]))
            {
                var all = window.ToArray();
                _start = _end;
                return (all, true);
            }
            if (lf >= 0)
            {
                var length = scanned + lf;
                var line = window[..length];
                if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
                var result = line.ToArray();
                _start += length + 1;
                return (result, false);
            }
            if (available >= max)
            {
                var partial = window.ToArray();
                _start = _end;
                return (partial, true);
            }
            scanned = available;
            if (!await FillAsync(available + 1, ct))
            {
                if (available == 0) return (null, false);
                var rest = _buffer.AsSpan(_start, available).ToArray();
                _start = _end;
                return (rest, true);
            }
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes, or fewer at end of stream.</summary>
    public async ValueTask<byte[]> ReadExactAsync(int count, CancellationToken ct)
    {
        var result = new byte[count];
        var have = 0;
        while (have < count)
        {
            if (_end == _start && !await FillAsync(1, ct)) return result[..have];
            var take = Math.Min(count - have, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(have));
            _start += take;
            have += take;
        }
        return result;
    }

    /// <summary>Whatever is buffered, or the next read's bytes; empty at end of stream.</summary>
    public async ValueTask<byte[]> ReadSomeAsync(CancellationToken ct)
    {
        if (_end == _start && !await FillAsync(1, ct)) return [];
        var bytes = _buffer.AsSpan(_start, _end - _start).ToArray();
        _start = _end;
        return bytes;
    }

    private async ValueTask<bool> FillAsync(int needed, CancellationToken ct)
    {
        while (_end - _start < needed)
        {
            if (_start > 0 && _end == _start) _start = _end = 0;
            if (_buffer.Length - _end < 4096)
            {
                var larger = new byte[Math.Max(_buffer.Length * 2, needed + 4096)];
                _buffer.AsSpan(_start, _end - _start).CopyTo(larger);
                _end -= _start;
                _start = 0;
                _buffer = larger;
            }
            var read = await Stream.ReadAsync(_buffer.AsMemory(_end), ct);
            if (read == 0) return false;
            _end += read;
        }
        return true;
    }

    // Whitespace (HTAB, LF, VT, FF, CR) is text; every other C0 control, and DEL, is not.
    private static bool HasControl(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x09 or (> 0x0D and < 0x20) or 0x7F) return true;
        }
        return false;
    }
}
