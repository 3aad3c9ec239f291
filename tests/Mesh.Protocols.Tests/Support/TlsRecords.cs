namespace Mesh.Protocols.Tests.Support;

/// <summary>Builds and reshapes TLS records and ClientHello messages for tests.</summary>
internal static class TlsRecords
{
    /// <summary>Concatenates the payloads of the complete records in <paramref name="records"/>.</summary>
    public static byte[] HandshakeMessage(byte[] records)
    {
        var message = new List<byte>();
        for (int i = 0; i + 5 <= records.Length;)
        {
            int length = (records[i + 3] << 8) | records[i + 4];
            message.AddRange(records.AsSpan(i + 5, length).ToArray());
            i += 5 + length;
        }

        return [.. message];
    }

    /// <summary>Wraps a handshake message in records carrying the given fragment sizes (the rest in a last record).</summary>
    public static byte[] Fragment(byte[] message, params int[] fragmentSizes)
    {
        var output = new List<byte>();
        int offset = 0;
        foreach (int size in fragmentSizes.Append(int.MaxValue))
        {
            int take = Math.Min(size, message.Length - offset);
            if (take <= 0)
            {
                break;
            }

            output.AddRange([22, 3, 1, (byte)(take >> 8), (byte)take]);
            output.AddRange(message.AsSpan(offset, take).ToArray());
            offset += take;
        }

        return [.. output];
    }

    public static byte[] Records(byte[] message) => Fragment(message, message.Length);

    /// <summary>A ClientHello handshake message (type, 24-bit length, body).</summary>
    public static byte[] ClientHello(params byte[][] extensions) => Handshake(HelloBody(extensions));

    public static byte[] ClientHelloWithoutExtensions() => Handshake(HelloBody(null));

    public static byte[] Handshake(byte[] body) =>
        [1, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    public static byte[] HelloBody(byte[][]? extensions)
    {
        byte[] fixedPart =
        [
            3, 3, .. new byte[32], // legacy_version, random
            32, .. Enumerable.Repeat((byte)7, 32), // legacy_session_id
            0, 4, 0x13, 0x01, 0xC0, 0x2F, // cipher_suites
            1, 0, // legacy_compression_methods
        ];
        if (extensions is null)
        {
            return fixedPart;
        }

        byte[] all = extensions.SelectMany(e => e).ToArray();
        return [.. fixedPart, .. Vector16(all)];
    }

    public static byte[] Extension(ushort type, byte[] data) => [(byte)(type >> 8), (byte)type, .. Vector16(data)];

    public static byte[] ServerName(params string[] hostNames) =>
        ServerNameRaw(hostNames.Select(Bytes.Of).ToArray());

    public static byte[] ServerNameRaw(params byte[][] hostNames) =>
        Extension(0, Vector16(hostNames.SelectMany(h => (byte[])[0, .. Vector16(h)]).ToArray()));

    public static byte[] Alpn(params string[] protocols) =>
        Extension(16, Vector16(protocols.SelectMany(p => (byte[])[(byte)p.Length, .. Bytes.Of(p)]).ToArray()));

    public static byte[] SupportedVersions(params ushort[] versions) =>
        Extension(43, [(byte)(versions.Length * 2), .. versions.SelectMany(v => (byte[])[(byte)(v >> 8), (byte)v])]);

    public static byte[] Vector16(byte[] data) => [(byte)(data.Length >> 8), (byte)data.Length, .. data];
}
