using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Mesh.E2E.Adversarial;

/// <summary>
/// ClientHellos built byte by byte, for what a TLS library will not send: several server names, names in any case or
/// with a trailing dot, no name at all; and the record layer cut as a test wants (the hello spread over records).
/// The hello is well formed (TLS 1.3 with a real-looking key share), so a server would answer it.
/// </summary>
internal static class TlsHellos
{
    /// <summary>The handshake message (type, length, body) of a ClientHello naming <paramref name="serverNames"/>.</summary>
    public static byte[] Message(params string[] serverNames)
    {
        var extensions = new List<byte>();
        if (serverNames.Length > 0)
        {
            var list = serverNames.SelectMany(name => (byte[])[0, .. U16(name.Length), .. Encoding.ASCII.GetBytes(name)]).ToArray();
            extensions.AddRange(Extension(0x0000, [.. U16(list.Length), .. list]));
        }
        extensions.AddRange(Extension(0x000a, [0x00, 0x04, 0x00, 0x1d, 0x00, 0x17]));
        extensions.AddRange(Extension(0x000d, [0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01]));
        extensions.AddRange(Extension(0x002b, [0x04, 0x03, 0x04, 0x03, 0x03]));
        extensions.AddRange(Extension(0x0033, [0x00, 0x24, 0x00, 0x1d, 0x00, 0x20, .. RandomNumberGenerator.GetBytes(32)]));
        extensions.AddRange(Extension(0x0010, [0x00, 0x09, 0x08, .. "http/1.1"u8.ToArray()]));
        byte[] body =
        [
            0x03, 0x03, .. RandomNumberGenerator.GetBytes(32),
            0x20, .. RandomNumberGenerator.GetBytes(32),
            0x00, 0x06, 0x13, 0x01, 0x13, 0x02, 0xc0, 0x2f,
            0x01, 0x00,
            .. U16(extensions.Count), .. extensions,
        ];
        return [0x01, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];
    }

    /// <summary>The handshake bytes as TLS records (content type 22) of at most <paramref name="fragment"/> bytes each.</summary>
    public static byte[] Records(byte[] handshake, int fragment = 16 * 1024) =>
        [.. handshake.Chunk(fragment).SelectMany(piece => (byte[])[0x16, 0x03, 0x01, .. U16(piece.Length), .. piece])];

    /// <summary>The handshake bytes inside the records of a first flight (what <see cref="Records"/> undoes).</summary>
    public static byte[] Unwrap(ReadOnlySpan<byte> records)
    {
        var handshake = new List<byte>();
        while (records.Length >= 5 && records[0] == 0x16)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(records[3..]);
            handshake.AddRange(records.Slice(5, length));
            records = records[(5 + length)..];
        }
        return [.. handshake];
    }

    private static byte[] Extension(int type, byte[] data) => [.. U16(type), .. U16(data.Length), .. data];

    private static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];
}
