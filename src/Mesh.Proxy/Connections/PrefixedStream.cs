namespace Mesh.Proxy.Connections;

/// <summary>
/// Reads <paramref name="prefix"/> first, then the inner stream: the client's reader when its first bytes were read
/// before a pipe existed (<see cref="QueuedBytes"/>). Read-only; disposing it disposes the inner stream.
/// </summary>
internal sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
{
    private int _offset;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => TakePrefix(buffer) is var taken and >= 0 ? taken : inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        TakePrefix(buffer.Span) is var taken and >= 0 ? ValueTask.FromResult(taken) : inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Copies from the prefix while any is left (a zero-byte read then completes at once); -1 once it is used up.</summary>
    private int TakePrefix(Span<byte> buffer)
    {
        if (_offset == prefix.Length) return -1;
        var taken = Math.Min(buffer.Length, prefix.Length - _offset);
        prefix.AsSpan(_offset, taken).CopyTo(buffer);
        _offset += taken;
        return taken;
    }
}
