using System.Buffers;
using Mesh.Protocols.Http;

namespace Mesh.Protocols.Sniffing;

/// <summary>
/// Classifies a connection by its first bytes.
/// <code>
/// SniffedProtocol Sniff(in ReadOnlySequence&lt;byte&gt; buffer, int maxBytes = 16 KiB)
/// SniffedProtocol Sniff(ReadOnlySpan&lt;byte&gt; data, int maxBytes = 16 KiB)
/// </code>
/// The answer is decided on a prefix and never changes as more bytes arrive; NeedMoreData only while
/// the bytes are a prefix of more than one possibility, and never once <c>maxBytes</c> are present.
/// HTTP/1 is recognized by a registered method and a space ("GET "), or for other methods by a full
/// <c>token SP target SP HTTP/1.</c> prefix; the request parser does the strict validation.
/// </summary>
internal static class ProtocolSniffer
{
    public const int DefaultMaxBytes = 16 * 1024;

    // Longer than any registered method; beyond this a "method" is more likely someone else's protocol.
    private const int MaxMethodLength = 32;

    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static SniffedProtocol Sniff(in ReadOnlySequence<byte> buffer, int maxBytes = DefaultMaxBytes)
    {
        if (buffer.IsSingleSegment)
        {
            return Sniff(buffer.FirstSpan, maxBytes);
        }

        int length = (int)Math.Min(buffer.Length, maxBytes);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(rented);
            return Sniff(rented.AsSpan(0, length), maxBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static SniffedProtocol Sniff(ReadOnlySpan<byte> data, int maxBytes = DefaultMaxBytes)
    {
        if (data.Length > maxBytes)
        {
            data = data[..maxBytes];
        }

        SniffedProtocol result = Classify(data);
        return result == SniffedProtocol.NeedMoreData && data.Length >= maxBytes ? SniffedProtocol.Opaque : result;
    }

    private static SniffedProtocol Classify(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return SniffedProtocol.NeedMoreData;
        }

        if (data[0] == 0x16)
        {
            return ClassifyTls(data);
        }

        int prefix = Math.Min(data.Length, Http2Preface.Length);
        if (data[..prefix].SequenceEqual(Http2Preface[..prefix]))
        {
            return prefix == Http2Preface.Length ? SniffedProtocol.Http2PriorKnowledge : SniffedProtocol.NeedMoreData;
        }

        return ClassifyHttp1(data);
    }

    // TLSPlaintext { type = handshake(22), legacy_record_version = 3.x, length 1..2^14 } then msg_type client_hello(1).
    private static SniffedProtocol ClassifyTls(ReadOnlySpan<byte> data)
    {
        if ((data.Length > 1 && data[1] != 3) || (data.Length > 2 && data[2] > 4))
        {
            return SniffedProtocol.Opaque;
        }

        if (data.Length > 4 && (((data[3] << 8) | data[4]) is 0 or > (1 << 14)))
        {
            return SniffedProtocol.Opaque;
        }

        if (data.Length < 6)
        {
            return SniffedProtocol.NeedMoreData;
        }

        return data[5] == 1 ? SniffedProtocol.Tls : SniffedProtocol.Opaque;
    }

    private static SniffedProtocol ClassifyHttp1(ReadOnlySpan<byte> data)
    {
        int methodLength = data.IndexOfAnyExcept(HttpSyntax.TokenChars);
        if (methodLength < 0)
        {
            return data.Length <= MaxMethodLength ? SniffedProtocol.NeedMoreData : SniffedProtocol.Opaque;
        }

        if (methodLength == 0 || methodLength > MaxMethodLength || data[methodLength] != ' ')
        {
            return SniffedProtocol.Opaque;
        }

        if (HttpMethods.Classify(data[..methodLength]) != HttpMethodKind.Other)
        {
            return SniffedProtocol.Http1;
        }

        ReadOnlySpan<byte> rest = data[(methodLength + 1)..];
        int targetLength = rest.IndexOfAnyExcept(HttpSyntax.TargetChars);
        if (targetLength < 0)
        {
            return SniffedProtocol.NeedMoreData;
        }

        if (targetLength == 0 || rest[targetLength] != ' ')
        {
            return SniffedProtocol.Opaque;
        }

        ReadOnlySpan<byte> version = rest[(targetLength + 1)..];
        ReadOnlySpan<byte> expected = "HTTP/1."u8;
        int compare = Math.Min(version.Length, expected.Length);
        if (!version[..compare].SequenceEqual(expected[..compare]))
        {
            return SniffedProtocol.Opaque;
        }

        return compare == expected.Length ? SniffedProtocol.Http1 : SniffedProtocol.NeedMoreData;
    }
}
