using System.Text;

namespace Mesh.Protocols.Http;

/// <summary>
/// State shared by parsed request and response heads. A head owns a copy of its raw bytes (the
/// proxy must keep them after the pipe is advanced) and an array of field ranges; both are reused
/// across parses, so a connection parsing message after message allocates nothing in steady state.
/// </summary>
internal abstract class HttpMessageHead
{
    private byte[] _bytes = [];
    private int _length;
    // Eight fields before the first doubling: every idle kept-alive connection holds a request and a response head.
    private HttpHeaderField[] _fields = new HttpHeaderField[8];

    /// <summary>The complete head: start line, field lines and the terminating blank line.</summary>
    public ReadOnlySpan<byte> Raw => _bytes.AsSpan(0, _length);

    /// <summary>The head as memory, for sending it on without a copy (valid until the head is parsed into again).</summary>
    public ReadOnlyMemory<byte> RawMemory => _bytes.AsMemory(0, _length);

    /// <summary>The x of HTTP/1.x.</summary>
    public int MinorVersion { get; internal set; }

    public HttpHeaderFields Headers => new(this);

    public BodyFraming Framing { get; internal set; }

    /// <summary>Body length when <see cref="Framing"/> is <see cref="BodyFraming.ContentLength"/>, else 0.</summary>
    public long ContentLength { get; internal set; }

    /// <summary>Whether the connection may carry another message after this one (RFC 9112 §9.3).</summary>
    public bool KeepAlive { get; internal set; }

    /// <summary>Values of the Connection field contained the "upgrade" option.</summary>
    public bool ConnectionUpgrade { get; internal set; }

    internal int FieldCount { get; private set; }

    public string GetRawString() => Encoding.Latin1.GetString(Raw);

    internal ReadOnlySpan<byte> Slice(int start, int length) => _bytes.AsSpan(start, length);

    internal ref readonly HttpHeaderField GetField(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)FieldCount, nameof(index));
        return ref _fields[index];
    }

    internal virtual void Reset()
    {
        _length = 0;
        FieldCount = 0;
        MinorVersion = 0;
        Framing = BodyFraming.None;
        ContentLength = 0;
        KeepAlive = false;
        ConnectionUpgrade = false;
    }

    internal void AddField(in HttpHeaderField field)
    {
        if (FieldCount == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        _fields[FieldCount++] = field;
    }

    /// <summary>Scratch space the parser may assemble a multi-segment input in (see <see cref="HttpHeadInput"/>).</summary>
    internal Span<byte> GetScratch(int size)
    {
        if (_bytes.Length < size)
        {
            _bytes = new byte[Math.Max(size, Math.Min(2 * _bytes.Length, 64 * 1024))];
        }

        return _bytes.AsSpan(0, size);
    }

    /// <summary>Keeps the head's bytes; <paramref name="head"/> may already live in the scratch space.</summary>
    internal void CommitBytes(ReadOnlySpan<byte> head)
    {
        Span<byte> target = GetScratch(head.Length);
        head.CopyTo(target); // CopyTo has memmove semantics, so an overlapping source is fine.
        _length = head.Length;
    }
}
