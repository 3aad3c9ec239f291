using System.Buffers;

namespace Mesh.Protocols.Tls;

/// <summary>
/// Reads the server name (and ALPN) from a client's first TLS flight without terminating TLS.
/// <code>
/// SniReadStatus TryRead(in ReadOnlySequence&lt;byte&gt; buffer, out ClientHelloInfo hello,
///                       out SequencePosition consumed, int maxHandshakeLength = 16 KiB)
/// </code>
/// Call with everything received so far (the bytes are only examined; the proxy forwards them as they
/// are). <c>consumed</c> is the end of the last record holding the ClientHello when the status is
/// Success, NoServerName or InvalidServerName, else the buffer start. The hello may be fragmented
/// over any number of handshake records and any segmentation of the buffer. Stateless; each call
/// examines at most the records of one ClientHello, itself bounded by <c>maxHandshakeLength</c>.
/// </summary>
internal static class SniReader
{
    public const int DefaultMaxHandshakeLength = 16 * 1024;

    private const int RecordHeaderLength = 5;
    private const int HandshakeHeaderLength = 4;
    private const int MaxRecordLength = 1 << 14; // TLSPlaintext.length limit (RFC 8446 §5.1).
    private const byte HandshakeContentType = 22;
    private const byte ClientHelloType = 1;

    public static SniReadStatus TryRead(
        in ReadOnlySequence<byte> buffer, out ClientHelloInfo hello, out SequencePosition consumed,
        int maxHandshakeLength = DefaultMaxHandshakeLength)
    {
        hello = new ClientHelloInfo(null, [], false);
        consumed = buffer.Start;
        SniReadStatus status = Locate(buffer, maxHandshakeLength, out int messageLength, out long end);
        if (status != SniReadStatus.Success)
        {
            return status;
        }

        // Common case: the whole hello in the first record, in the first segment. Parse it in place.
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= end && ((first[3] << 8) | first[4]) == messageLength)
        {
            status = ClientHelloParser.Parse(first[(RecordHeaderLength + HandshakeHeaderLength)..(int)end], out hello);
        }
        else
        {
            byte[] rented = ArrayPool<byte>.Shared.Rent(messageLength);
            try
            {
                Reassemble(buffer, rented.AsSpan(0, messageLength));
                status = ClientHelloParser.Parse(rented.AsSpan(HandshakeHeaderLength, messageLength - HandshakeHeaderLength), out hello);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        if (status is SniReadStatus.Success or SniReadStatus.NoServerName or SniReadStatus.InvalidServerName)
        {
            consumed = buffer.GetPosition(end);
        }

        return status;
    }

    /// <summary>
    /// Walks the records until they hold the whole handshake message, checking everything that can be
    /// checked on a prefix so garbage is refused as early as possible. Returns Success when complete,
    /// with the message length (header included) and the offset after its last record.
    /// </summary>
    private static SniReadStatus Locate(in ReadOnlySequence<byte> buffer, int maxHandshakeLength, out int messageLength, out long end)
    {
        messageLength = -1;
        end = 0;
        Span<byte> handshakeHeader = stackalloc byte[HandshakeHeaderLength];
        Span<byte> recordHeader = stackalloc byte[RecordHeaderLength];
        int headerHave = 0;
        long gathered = 0;
        var reader = new SequenceReader<byte>(buffer);
        for (bool firstRecord = true; ; firstRecord = false)
        {
            int have = (int)Math.Min(reader.Remaining, RecordHeaderLength);
            reader.UnreadSequence.Slice(0, have).CopyTo(recordHeader);
            SniReadStatus headerStatus = CheckRecordHeader(recordHeader[..have], firstRecord);
            if (headerStatus != SniReadStatus.Success || have < RecordHeaderLength)
            {
                return headerStatus == SniReadStatus.Success ? SniReadStatus.NeedMoreData : headerStatus;
            }

            reader.Advance(RecordHeaderLength);
            int recordLength = (recordHeader[3] << 8) | recordHeader[4];
            int available = (int)Math.Min(recordLength, reader.Remaining);

            if (headerHave < HandshakeHeaderLength)
            {
                int take = Math.Min(HandshakeHeaderLength - headerHave, available);
                reader.UnreadSequence.Slice(0, take).CopyTo(handshakeHeader[headerHave..]);
                headerHave += take;
                if (headerHave > 0 && handshakeHeader[0] != ClientHelloType)
                {
                    return SniReadStatus.NotTls; // A handshake, but not a client's first message.
                }

                if (headerHave == HandshakeHeaderLength)
                {
                    int bodyLength = (handshakeHeader[1] << 16) | (handshakeHeader[2] << 8) | handshakeHeader[3];
                    if (bodyLength > maxHandshakeLength - HandshakeHeaderLength)
                    {
                        return SniReadStatus.TooLarge;
                    }

                    messageLength = HandshakeHeaderLength + bodyLength;
                }
            }

            if (available < recordLength)
            {
                return SniReadStatus.NeedMoreData;
            }

            reader.Advance(recordLength);
            gathered += recordLength;
            if (messageLength >= 0 && gathered >= messageLength)
            {
                // Nothing may share a record with the ClientHello: no client message follows it before the
                // server answers, and bytes the proxy did not inspect must not ride along unnoticed.
                end = reader.Consumed;
                return gathered == messageLength ? SniReadStatus.Success : SniReadStatus.Malformed;
            }
        }
    }

    private static SniReadStatus CheckRecordHeader(ReadOnlySpan<byte> header, bool firstRecord)
    {
        // On the first record a mismatch means "some other protocol" (an SSLv2 hello starts with a set high
        // bit); later, the client is speaking TLS but interleaving something else into its hello.
        SniReadStatus mismatch = firstRecord ? SniReadStatus.NotTls : SniReadStatus.Malformed;
        if ((header.Length > 0 && header[0] != HandshakeContentType)
            || (header.Length > 1 && header[1] != 3)
            || (header.Length > 2 && header[2] > 4))
        {
            return mismatch;
        }

        if (header.Length == RecordHeaderLength)
        {
            int length = (header[3] << 8) | header[4];
            if (length is 0 or > MaxRecordLength)
            {
                return mismatch; // Zero-length handshake fragments are forbidden (RFC 8446 §5.1).
            }
        }

        return SniReadStatus.Success;
    }

    private static void Reassemble(in ReadOnlySequence<byte> buffer, Span<byte> message)
    {
        var reader = new SequenceReader<byte>(buffer);
        int written = 0;
        while (written < message.Length)
        {
            reader.Advance(3);
            reader.TryReadBigEndian(out short length);
            int recordLength = (ushort)length;
            reader.UnreadSequence.Slice(0, recordLength).CopyTo(message[written..]);
            reader.Advance(recordLength);
            written += recordLength;
        }
    }
}
