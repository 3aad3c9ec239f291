using System.Buffers;
using Mesh.Protocols.Http;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Http;

public class ChunkedBodyReaderTests
{
    private static (ChunkedBodyStatus Status, int Consumed) ReadAll(string body, ChunkedBodyReader? reader = null)
    {
        reader ??= new ChunkedBodyReader();
        ChunkedBodyStatus status = reader.Read(Bytes.Of(body), out int consumed);
        return (status, consumed);
    }

    [Theory]
    [InlineData("0\r\n\r\n")]
    [InlineData("5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")]
    [InlineData("A\r\n0123456789\r\n0\r\n\r\n")]
    [InlineData("a\r\n0123456789\r\n0000\r\n\r\n")]
    [InlineData("0005\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;name\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;name=value\r\nhello\r\n0;last\r\n\r\n")]
    [InlineData("5 ; a = b ; c=\"quoted ; \\\" value\"\t;d\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a=\"\u00e9\"\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhe\r\nl\r\n0\r\n\r\n")]
    [InlineData("0\r\nX-Checksum: abc\r\n\r\n")]
    [InlineData("0\r\nX-Checksum:abc\r\nY: \t1 2 \u00ff\r\nZ:\r\n\r\n")]
    public void Valid_bodies_end_exactly_after_the_final_crlf(string body)
    {
        const string next = "GET /next HTTP/1.1\r\n";

        var (status, consumed) = ReadAll(body + next);

        Assert.Equal(ChunkedBodyStatus.Complete, status);
        Assert.Equal(body.Length, consumed);
    }

    [Theory]
    [InlineData("g\r\n")]
    [InlineData("\r\n")]
    [InlineData(";ext\r\n")]
    [InlineData("-5\r\n")]
    [InlineData("+5\r\n")]
    [InlineData("0x5\r\n")]
    [InlineData(" 5\r\n")]
    [InlineData("5 \r\n")]
    [InlineData("5\n")]
    [InlineData("5\rx")]
    [InlineData("5\r\nhelloX\r\n")]
    [InlineData("5\r\nhello\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r0\r\n\r\n")]
    [InlineData("5\r\nhello\r\n0\r\n\n")]
    [InlineData("5\r\nhello\r\n0\r\n\rx")]
    [InlineData("5;\r\n")]
    [InlineData("5;=v\r\n")]
    [InlineData("5;a=\r\n")]
    [InlineData("5;a=\"open\r\n")]
    [InlineData("5;a=b c\r\n")]
    [InlineData("5;a b\r\n")]
    [InlineData("5;a=\"x\"y\r\n")]
    [InlineData("5;a\u0001\r\n")]
    [InlineData("5;a=\"\u0001\"\r\n")]
    [InlineData("10000000000000000\r\n")]
    [InlineData("8000000000000000\r\n")]
    [InlineData("0\r\nX: 1\r\n folded\r\n\r\n")]
    [InlineData("0\r\n X: 1\r\n\r\n")]
    [InlineData("0\r\nX : 1\r\n\r\n")]
    [InlineData("0\r\nX: 1\r2\r\n\r\n")]
    [InlineData("0\r\nX: 1\n\r\n")]
    [InlineData("0\r\nNoColon\r\n\r\n")]
    [InlineData("0\r\n: v\r\n\r\n")]
    [InlineData("0\r\nX: a\u0000b\r\n\r\n")]
    [InlineData("0\r\nX(y): 1\r\n\r\n")]
    public void Malformed_bodies_are_invalid(string body)
    {
        Assert.Equal(ChunkedBodyStatus.Invalid, ReadAll(body).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5\r")]
    [InlineData("5\r\nhel")]
    [InlineData("5\r\nhello")]
    [InlineData("5\r\nhello\r\n")]
    [InlineData("7FFFFFFFFFFFFFFF\r\n")]
    [InlineData("0\r\n")]
    [InlineData("0\r\nX: 1\r\n")]
    [InlineData("0\r\n\r")]
    public void Incomplete_bodies_need_more_data_and_consume_everything(string body)
    {
        var (status, consumed) = ReadAll(body);

        Assert.Equal(ChunkedBodyStatus.NeedMoreData, status);
        Assert.Equal(body.Length, consumed);
    }

    [Fact]
    public void Feeding_one_byte_at_a_time_gives_the_same_result()
    {
        byte[] body = Bytes.Of("5;a=\"b\"\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nT: v\r\n\r\n");
        var reader = new ChunkedBodyReader();

        for (int i = 0; i < body.Length - 1; i++)
        {
            Assert.Equal(ChunkedBodyStatus.NeedMoreData, reader.Read(body.AsSpan(i, 1), out int consumed));
            Assert.Equal(1, consumed);
        }

        Assert.Equal(ChunkedBodyStatus.Complete, reader.Read(body.AsSpan(body.Length - 1), out _));
        Assert.True(reader.IsComplete);
        Assert.Equal(body.Length, reader.BytesConsumed);
    }

    [Fact]
    public void A_multi_segment_sequence_reports_the_position_where_the_body_ends()
    {
        byte[] data = Bytes.Of("3\r\nabc\r\n0\r\n\r\nNEXT");
        ReadOnlySequence<byte> buffer = Segments.SingleBytes(data);
        var reader = new ChunkedBodyReader();

        Assert.Equal(ChunkedBodyStatus.Complete, reader.Read(buffer, out SequencePosition consumed));
        Assert.Equal("NEXT", Bytes.Text(buffer.Slice(consumed).ToArray()));
    }

    [Fact]
    public void Large_chunks_are_skipped_without_buffering()
    {
        var reader = new ChunkedBodyReader();
        Assert.Equal(ChunkedBodyStatus.NeedMoreData, reader.Read("100000\r\n"u8, out _));
        byte[] piece = new byte[4096];

        for (int i = 0; i < 0x100000 / piece.Length; i++)
        {
            Assert.Equal(ChunkedBodyStatus.NeedMoreData, reader.Read(piece, out int consumed));
            Assert.Equal(piece.Length, consumed);
        }

        Assert.Equal(ChunkedBodyStatus.Complete, reader.Read("\r\n0\r\n\r\n"u8, out _));
        Assert.Equal(8 + 0x100000 + 7, reader.BytesConsumed);
    }

    [Fact]
    public void After_completion_nothing_more_is_consumed_until_reset()
    {
        var reader = new ChunkedBodyReader();
        Assert.Equal(ChunkedBodyStatus.Complete, reader.Read("0\r\n\r\n"u8, out _));

        Assert.Equal(ChunkedBodyStatus.Complete, reader.Read("1\r\na\r\n"u8, out int consumed));
        Assert.Equal(0, consumed);

        reader.Reset();
        Assert.False(reader.IsComplete);
        Assert.Equal(0, reader.BytesConsumed);
        Assert.Equal(ChunkedBodyStatus.Complete, reader.Read("1\r\na\r\n0\r\n\r\n"u8, out consumed));
        Assert.Equal(11, consumed);
    }

    [Fact]
    public void Invalid_is_sticky()
    {
        var reader = new ChunkedBodyReader();
        Assert.Equal(ChunkedBodyStatus.Invalid, reader.Read("z"u8, out _));

        Assert.Equal(ChunkedBodyStatus.Invalid, reader.Read("0\r\n\r\n"u8, out int consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Size_lines_and_trailers_are_bounded()
    {
        var reader = new ChunkedBodyReader(maxLineLength: 16, maxTrailerSize: 16);
        Assert.Equal(ChunkedBodyStatus.NeedMoreData, reader.Read(Bytes.Of("5;" + new string('a', 12) + "\r\n"), out _)); // 16 bytes with CRLF.
        Assert.Equal(ChunkedBodyStatus.Invalid, new ChunkedBodyReader(16, 16).Read(Bytes.Of("5;" + new string('a', 13) + "\r\n"), out _));
        Assert.Equal(ChunkedBodyStatus.Invalid, new ChunkedBodyReader().Read(Bytes.Of("0000" + new string('0', 5000)), out _));

        Assert.Equal(ChunkedBodyStatus.Complete, new ChunkedBodyReader(16, 16).Read("0\r\nX: 123456789\r\n\r\n"u8, out _));
        Assert.Equal(ChunkedBodyStatus.Invalid, new ChunkedBodyReader(16, 16).Read("0\r\nX: 1234567890\r\n\r\n"u8, out _));
    }
}
