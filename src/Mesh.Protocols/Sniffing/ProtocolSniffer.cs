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
/// </summary>
/// <remarks>
/// <para>
/// HTTP/1 is recognised the way the most lenient server would read a request line, not the way Mesh's own parser
/// accepts one: after any run of whitespace (empty lines, RFC 9112 §2.2, and the SP / HTAB / VT / FF some servers
/// also skip), a token followed by whitespace (RFC 9112 §3 lets a server split the request line on any whitespace,
/// bare CR included). Anything that is HTTP to some server is thus inspected, and the request parser, which is strict,
/// answers what it will not accept with 400 instead of the flow passing as opaque TCP under passthrough. Only bytes
/// that no HTTP server reads as a request are opaque: a first non-whitespace byte that is no token character, or a
/// token followed by something other than whitespace, or by CRLF alone.
/// </para>
/// <para>
/// A prefix still undecided at <c>maxBytes</c> (only whitespace, or one endless token) is called HTTP/1 for the same
/// reason: the parser then refuses it as too long. The HTTP/2 prior-knowledge preface counts only from the first
/// byte; after empty lines it is an HTTP/1 request line ("PRI * HTTP/2.0"), which the parser refuses.
/// </para>
/// </remarks>
internal static class ProtocolSniffer
{
    public const int DefaultMaxBytes = 16 * 1024;

    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    // What a lenient server skips before a request line: empty lines and the whitespace RFC 9112 §3 lets it split on.
    private static readonly SearchValues<byte> LeadingWhitespace = SearchValues.Create(" \t\r\n\v\f"u8);

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
        if (result != SniffedProtocol.NeedMoreData || data.Length < maxBytes)
        {
            return result;
        }

        // Undecided at the limit: a TLS record still growing is no HTTP; anything else could be, so the parser judges.
        return data[0] == 0x16 ? SniffedProtocol.Opaque : SniffedProtocol.Http1;
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

    // [ whitespace ] token whitespace: the start of a request line to a server that splits on any whitespace.
    private static SniffedProtocol ClassifyHttp1(ReadOnlySpan<byte> data)
    {
        int start = data.IndexOfAnyExcept(LeadingWhitespace);
        if (start < 0)
        {
            return SniffedProtocol.NeedMoreData; // empty lines so far; a request may follow them
        }

        ReadOnlySpan<byte> rest = data[start..];
        int methodLength = rest.IndexOfAnyExcept(HttpSyntax.TokenChars);
        if (methodLength == 0)
        {
            return SniffedProtocol.Opaque;
        }

        if (methodLength < 0)
        {
            return SniffedProtocol.NeedMoreData;
        }

        return rest[methodLength] switch
        {
            (byte)' ' or (byte)'\t' or (byte)'\v' or (byte)'\f' => SniffedProtocol.Http1,

            // A bare CR separates like SP; CRLF right after the first word ends a line that holds no request.
            (byte)'\r' when rest.Length == methodLength + 1 => SniffedProtocol.NeedMoreData,
            (byte)'\r' => rest[methodLength + 1] == '\n' ? SniffedProtocol.Opaque : SniffedProtocol.Http1,
            _ => SniffedProtocol.Opaque,
        };
    }
}
