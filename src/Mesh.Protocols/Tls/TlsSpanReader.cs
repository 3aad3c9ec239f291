using System.Buffers.Binary;

namespace Mesh.Protocols.Tls;

/// <summary>
/// Big-endian cursor over TLS presentation-language structures (RFC 8446 §3). Every read is bounds-checked
/// and reports failure instead of throwing, so hostile lengths simply end the parse.
/// </summary>
internal ref struct TlsSpanReader
{
    private ReadOnlySpan<byte> _rest;

    public TlsSpanReader(ReadOnlySpan<byte> data) => _rest = data;

    public readonly int Remaining => _rest.Length;

    public bool TryReadByte(out byte value)
    {
        value = 0;
        if (_rest.IsEmpty)
        {
            return false;
        }

        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        value = 0;
        if (!BinaryPrimitives.TryReadUInt16BigEndian(_rest, out value))
        {
            return false;
        }

        _rest = _rest[2..];
        return true;
    }

    public bool TrySkip(int count)
    {
        if ((uint)count > (uint)_rest.Length)
        {
            return false;
        }

        _rest = _rest[count..];
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        value = default;
        if ((uint)count > (uint)_rest.Length)
        {
            return false;
        }

        value = _rest[..count];
        _rest = _rest[count..];
        return true;
    }

    /// <summary>Reads an opaque vector with a one-byte length prefix (<c>opaque x&lt;a..2^8-1&gt;</c>).</summary>
    public bool TryReadVector8(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadByte(out byte length) && TryReadBytes(length, out value);
    }

    /// <summary>Reads an opaque vector with a two-byte length prefix (<c>opaque x&lt;a..2^16-1&gt;</c>).</summary>
    public bool TryReadVector16(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadUInt16(out ushort length) && TryReadBytes(length, out value);
    }
}
