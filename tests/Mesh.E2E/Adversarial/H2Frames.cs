using System.Buffers.Binary;
using System.Text;

namespace Mesh.E2E.Adversarial;

/// <summary>What an HTTP/2 client sends (RFC 9113): the connection preface and a few frames, HPACK without Huffman.</summary>
internal static class H2Frames
{
    public static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>The value an h2c upgrade request carries in HTTP2-Settings (base64url of an empty-ish SETTINGS payload).</summary>
    public const string SettingsHeaderValue = "AAMAAABkAARAAAAAAAIAAAAA";

    public static byte[] Settings() => Frame(4, 0, 0, []);

    /// <summary>A HEADERS frame (END_STREAM, END_HEADERS) for a GET of <paramref name="path"/>.</summary>
    public static byte[] Get(int stream, string authority, string path) =>
        Frame(1, 0x5, stream, [.. Literal(":method", "GET"), .. Literal(":scheme", "http"), .. Literal(":authority", authority), .. Literal(":path", path)]);

    /// <summary>Preface, SETTINGS and one GET: what a prior-knowledge client sends first.</summary>
    public static byte[] PriorKnowledgeGet(string authority, string path) => [.. Preface, .. Settings(), .. Get(1, authority, path)];

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }

    // Literal header field without indexing, new name (RFC 7541 §6.2.2); every string shorter than 127 bytes.
    private static byte[] Literal(string name, string value) =>
        [0x00, (byte)name.Length, .. Encoding.ASCII.GetBytes(name), (byte)value.Length, .. Encoding.ASCII.GetBytes(value)];
}
