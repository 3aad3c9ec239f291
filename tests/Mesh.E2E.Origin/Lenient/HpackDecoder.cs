using System.Text;

namespace Mesh.E2E.Origin.Lenient;

/// <summary>
/// Enough HPACK (RFC 7541) to log what an HTTP/2 request asked for: indexed fields from the static and dynamic
/// tables, literals with and without indexing, table size updates. Huffman-coded strings are not decoded (they read
/// as "(huffman)"): the HEADERS frame is logged either way, which is what proves it arrived.
/// </summary>
internal sealed class HpackDecoder
{
    private static readonly (string Name, string Value)[] Static =
    [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
        (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
        (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
        ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""),
        ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
        ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""),
        ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
        ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""),
        ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
        ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ];

    private readonly List<(string Name, string Value)> _dynamic = [];

    public List<(string Name, string Value)> Decode(ReadOnlySpan<byte> block)
    {
        var fields = new List<(string, string)>();
        var i = 0;
        while (i < block.Length)
        {
            var b = block[i];
            if ((b & 0x80) != 0)
            {
                fields.Add(Entry(ReadInteger(block, ref i, 7)));
            }
            else if ((b & 0xC0) == 0x40)
            {
                var field = ReadLiteral(block, ref i, 6);
                _dynamic.Insert(0, field);
                fields.Add(field);
            }
            else if ((b & 0xE0) == 0x20)
            {
                ReadInteger(block, ref i, 5); // dynamic table size update
            }
            else
            {
                fields.Add(ReadLiteral(block, ref i, 4));
            }
        }
        return fields;
    }

    private (string, string) Entry(long index) => index switch
    {
        >= 1 and <= 61 => Static[index - 1],
        _ when index - 62 < _dynamic.Count && index >= 62 => _dynamic[(int)(index - 62)],
        _ => throw new InvalidDataException($"HPACK index {index} out of range"),
    };

    private (string, string) ReadLiteral(ReadOnlySpan<byte> block, ref int i, int prefix)
    {
        var index = ReadInteger(block, ref i, prefix);
        var name = index == 0 ? ReadString(block, ref i) : Entry(index).Item1;
        return (name, ReadString(block, ref i));
    }

    private static string ReadString(ReadOnlySpan<byte> block, ref int i)
    {
        var huffman = (block[i] & 0x80) != 0;
        var length = (int)ReadInteger(block, ref i, 7);
        var text = huffman ? "(huffman)" : Encoding.Latin1.GetString(block.Slice(i, length));
        i += length;
        return text;
    }

    private static long ReadInteger(ReadOnlySpan<byte> block, ref int i, int prefix)
    {
        var max = (1 << prefix) - 1;
        long value = block[i++] & max;
        if (value < max) return value;
        var shift = 0;
        while (true)
        {
            var b = block[i++];
            value += (long)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) return value;
        }
    }
}
