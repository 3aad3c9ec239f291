using System.Net.Sockets;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// A client's stream that sends its first write (a TLS library's ClientHello) re-cut: re-framed into TLS records of
/// <paramref name="recordSize"/> bytes, and sent in TCP segments of <paramref name="segmentSize"/> bytes with a pause
/// between them. Everything after the first write passes through, so the handshake completes for real.
/// </summary>
internal sealed class SplittingStream(NetworkStream inner, int recordSize, int segmentSize, TimeSpan pause) : Stream
{
    private bool _first = true;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_first)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            return;
        }
        _first = false;
        var recut = TlsHellos.Records(TlsHellos.Unwrap(buffer.Span), recordSize);
        foreach (var segment in recut.Chunk(segmentSize))
        {
            await inner.WriteAsync(segment, cancellationToken);
            await Task.Delay(pause, cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
