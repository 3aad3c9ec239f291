using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Mesh.Proxy.Transport;

/// <summary>
/// A <see cref="PipeReader"/> straight over an <see cref="EpollSocket"/>: one pooled array holds what arrived and was not
/// consumed yet (moved to its front, or into a larger one, when a read needs room), so every buffer it yields is one
/// segment. With nothing left unconsumed it holds no array: an idle kept-alive connection waits for readiness first and
/// rents one only when bytes are there (what zero-byte reads give .NET's stream reader). Against <c>PipeReader.Create</c>
/// over a stream on the socket, it saves a stream layer, the segment list, and a second cancellation registration
/// per read (the stream reader's own, besides the wait's).
/// One reader at a time, as any <see cref="PipeReader"/>.
/// </summary>
internal sealed class EpollSocketReader : PipeReader
{
    private readonly EpollSocket _socket;
    private readonly int _minimumRead;
    private readonly int _bufferSize;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _examinedAll;
    private bool _ended;
    private bool _completed;
    private volatile bool _cancelPending;

    /// <param name="socket">What it reads from.</param>
    /// <param name="bufferSize">The array rented when bytes arrive and none is held.</param>
    /// <param name="minimumRead">Room a receive needs at the end of the array; less makes room first.</param>
    /// <param name="firstBytes">Bytes read before it existed (a client's, while queued): yielded first.</param>
    public EpollSocketReader(EpollSocket socket, int bufferSize, int minimumRead, ReadOnlySpan<byte> firstBytes = default)
    {
        _socket = socket;
        _bufferSize = bufferSize;
        _minimumRead = Math.Min(minimumRead, bufferSize);
        if (firstBytes.IsEmpty) return;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, firstBytes.Length));
        firstBytes.CopyTo(_buffer);
        _end = firstBytes.Length;
    }

    public override bool TryRead(out ReadResult result)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_cancelPending || (_end > _start && !_examinedAll) || _ended)
        {
            result = Current();
            return true;
        }
        result = default;
        return false;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (TryRead(out var ready)) return ValueTask.FromResult(ready);
        var wait = _socket.WaitReadableAsync(cancellationToken);
        return wait.IsCompletedSuccessfully && TryReceive() ? ValueTask.FromResult(Current()) : ReceiveAsync(wait, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReceiveAsync(ValueTask wait, CancellationToken cancellationToken)
    {
        while (true)
        {
            await wait;
            if (_cancelPending || TryReceive()) return Current();
            wait = _socket.WaitReadableAsync(cancellationToken);
        }
    }

    /// <summary>Receives into the array (renting or making room first); false when nothing was there.</summary>
    private bool TryReceive()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
            _start = _end = 0;
        }
        else if (_buffer.Length - _end < _minimumRead)
        {
            MakeRoom();
        }
        var read = _socket.Receive(_buffer.AsSpan(_end));
        if (read < 0)
        {
            if (_end == _start) ReturnBuffer(); // waiting again: hold no array meanwhile
            return false;
        }
        if (read == 0) _ended = true;
        _end += read;
        _examinedAll = false;
        return true;
    }

    /// <summary>Moves the unconsumed bytes to the front, into a twice larger array when they fill more than half.</summary>
    private void MakeRoom()
    {
        var length = _end - _start;
        var target = length > _buffer!.Length / 2 ? ArrayPool<byte>.Shared.Rent(_buffer.Length * 2) : _buffer;
        Buffer.BlockCopy(_buffer, _start, target, 0, length);
        if (!ReferenceEquals(target, _buffer)) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = target;
        _start = 0;
        _end = length;
    }

    private ReadResult Current()
    {
        var canceled = _cancelPending;
        _cancelPending = false;
        var buffer = _buffer is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
        return new ReadResult(buffer, canceled, _ended);
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_buffer is null) return; // an empty buffer was yielded: nothing to move past
        var consumedAt = IndexOf(consumed);
        var examinedAt = IndexOf(examined);
        if (consumedAt < _start || consumedAt > _end || examinedAt < consumedAt || examinedAt > _end)
        {
            throw new InvalidOperationException("the position is not within the buffer last read");
        }
        _start = consumedAt;
        _examinedAll = examinedAt == _end;
        if (_start == _end) ReturnBuffer(); // all consumed: hold no array until bytes come again
    }

    private int IndexOf(SequencePosition position)
    {
        if (!ReferenceEquals(position.GetObject(), _buffer)) throw new InvalidOperationException("the position is not from this reader's buffer");
        return position.GetInteger() & int.MaxValue;
    }

    private void ReturnBuffer()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _start = _end = 0;
        _examinedAll = false;
    }

    /// <summary>The pending or next read returns with <see cref="ReadResult.IsCanceled"/>; the reader stays usable.</summary>
    public override void CancelPendingRead()
    {
        _cancelPending = true;
        _socket.InterruptRead();
    }

    public override void Complete(Exception? exception = null)
    {
        if (_completed) return;
        _completed = true;
        ReturnBuffer();
    }
}
