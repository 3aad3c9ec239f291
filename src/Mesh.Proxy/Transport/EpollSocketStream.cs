using System.Runtime.CompilerServices;

namespace Mesh.Proxy.Transport;

/// <summary>
/// An <see cref="EpollSocket"/> as a <see cref="Stream"/>, for a <see cref="System.IO.Pipelines.PipeReader"/> over it
/// and for sends. A zero-byte read only waits for readiness (no system call, no buffer: what an idle kept-alive
/// connection holds is the socket); a send that fits the socket's queue completes without awaiting. Asynchronous only.
/// </summary>
internal sealed class EpollSocketStream(EpollSocket socket) : Stream
{
    private bool _ended;

    public EpollSocket Socket { get; } = socket;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended) return ValueTask.FromResult(0);
        var wait = Socket.WaitReadableAsync(cancellationToken);
        if (!wait.IsCompletedSuccessfully) return ReadAfterAsync(wait, buffer, cancellationToken);
        wait.GetAwaiter().GetResult();
        if (buffer.IsEmpty) return ValueTask.FromResult(0);
        var read = Socket.Receive(buffer.Span);
        return read >= 0 ? ValueTask.FromResult(Ended(read)) : ReadAfterAsync(Socket.WaitReadableAsync(cancellationToken), buffer, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadAfterAsync(ValueTask wait, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            await wait;
            if (buffer.IsEmpty) return 0;
            var read = Socket.Receive(buffer.Span);
            if (read >= 0) return Ended(read);
            wait = Socket.WaitReadableAsync(cancellationToken);
        }
    }

    private int Ended(int read)
    {
        if (read == 0) _ended = true;
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var sent = Socket.Send(buffer.Span);
            if (sent == 0) return WriteAfterAsync(buffer, cancellationToken);
            buffer = buffer[sent..];
        }
        return ValueTask.CompletedTask;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteAfterAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            await Socket.WaitWritableAsync(cancellationToken);
            buffer = buffer[Socket.Send(buffer.Span)..];
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
