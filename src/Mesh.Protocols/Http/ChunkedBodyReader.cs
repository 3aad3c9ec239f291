using System.Buffers;

namespace Mesh.Protocols.Http;

/// <summary>
/// Finds the end of a chunked body (RFC 9112 §7.1) without buffering it, so the proxy can forward
/// exactly the body and know where the next message on the connection starts.
/// <code>
/// ChunkedBodyStatus Read(ReadOnlySpan&lt;byte&gt; data, out int consumed)
/// ChunkedBodyStatus Read(in ReadOnlySequence&lt;byte&gt; buffer, out SequencePosition consumed)
/// </code>
/// Feed each new piece of input once; <c>consumed</c> counts the bytes that belong to the body (all of
/// them on NeedMoreData; up to and including the final CRLF on Complete). State carries over between
/// calls, so arbitrary splits give the same answer. Chunk extensions are validated and ignored; trailer
/// fields are validated like header fields. One instance per connection; <see cref="Reset"/> between bodies.
/// </summary>
internal sealed partial class ChunkedBodyReader
{
    private readonly int _maxLineLength;
    private readonly int _maxTrailerSize;
    private State _state;
    private long _chunkRemaining;
    private int _lineLength;
    private int _trailerSize;

    /// <param name="maxLineLength">Longest chunk-size line, extensions included (bounds a line that never ends).</param>
    /// <param name="maxTrailerSize">Most bytes of trailer section, final CRLF included.</param>
    public ChunkedBodyReader(int maxLineLength = 4096, int maxTrailerSize = 16 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrailerSize, 2);
        _maxLineLength = maxLineLength;
        _maxTrailerSize = maxTrailerSize;
    }

    /// <summary>Body bytes consumed so far, framing included.</summary>
    public long BytesConsumed { get; private set; }

    public bool IsComplete => _state == State.Done;

    public void Reset()
    {
        _state = State.SizeStart;
        _chunkRemaining = 0;
        _lineLength = 0;
        _trailerSize = 0;
        BytesConsumed = 0;
    }

    public ChunkedBodyStatus Read(in ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        long total = 0;
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            ChunkedBodyStatus status = Read(segment.Span, out int used);
            total += used;
            if (status != ChunkedBodyStatus.NeedMoreData)
            {
                consumed = buffer.GetPosition(total);
                return status;
            }
        }

        consumed = buffer.End;
        return ChunkedBodyStatus.NeedMoreData;
    }

    public ChunkedBodyStatus Read(ReadOnlySpan<byte> data, out int consumed)
    {
        int i = 0;
        while (i < data.Length && _state is not (State.Done or State.Invalid))
        {
            if (_state == State.Data)
            {
                // Chunk data is skipped in bulk: the only per-byte work is on framing lines.
                int take = (int)Math.Min(_chunkRemaining, data.Length - i);
                i += take;
                _chunkRemaining -= take;
                if (_chunkRemaining == 0)
                {
                    _state = State.DataCr;
                }

                continue;
            }

            _state = Step(data[i]);
            i++;
        }

        consumed = i;
        BytesConsumed += i;
        return _state switch
        {
            State.Done => ChunkedBodyStatus.Complete,
            State.Invalid => ChunkedBodyStatus.Invalid,
            _ => ChunkedBodyStatus.NeedMoreData,
        };
    }
}
