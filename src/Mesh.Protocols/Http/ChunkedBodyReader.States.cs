using System.Buffers;

namespace Mesh.Protocols.Http;

/// <summary>The per-byte transitions of <see cref="ChunkedBodyReader"/> for chunk-size lines and trailers.</summary>
internal sealed partial class ChunkedBodyReader
{
    // qdtext minus '\' and '"' (RFC 9110 §5.6.4); obs-text is covered by the >= 0x80 check.
    private static readonly SearchValues<byte> QuotedText = SearchValues.Create(
        "\t !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    private enum State
    {
        SizeStart,          // first hex digit of chunk-size
        Size,               // more hex digits, or what follows them
        SizeWhitespace,     // BWS after the size; must lead to ';'
        ExtBeforeName,      // BWS after ';'
        ExtName,
        ExtAfterName,       // BWS after a name: '=', ';' or CR
        ExtBeforeValue,     // BWS after '='
        ExtToken,
        ExtQuoted,
        ExtQuotedEscape,
        ExtAfterValue,      // BWS after a value: ';' or CR
        SizeLf,             // CR seen, LF must follow
        Data,
        DataCr,
        DataLf,
        TrailerLineStart,
        TrailerEndLf,       // CR of the final CRLF seen
        TrailerName,
        TrailerValue,
        TrailerLf,
        Done,
        Invalid,
    }

    private State Step(byte b)
    {
        if (_state <= State.SizeLf && ++_lineLength > _maxLineLength)
        {
            return State.Invalid;
        }

        if (_state >= State.TrailerLineStart && ++_trailerSize > _maxTrailerSize)
        {
            return State.Invalid;
        }

        return _state switch
        {
            State.SizeStart => HexValue(b) >= 0 ? AppendDigit(b) : State.Invalid,
            State.Size => b switch
            {
                _ when HexValue(b) >= 0 => AppendDigit(b),
                (byte)';' => State.ExtBeforeName,
                (byte)' ' or (byte)'\t' => State.SizeWhitespace,
                (byte)'\r' => State.SizeLf,
                _ => State.Invalid,
            },
            State.SizeWhitespace => b switch
            {
                (byte)' ' or (byte)'\t' => State.SizeWhitespace,
                (byte)';' => State.ExtBeforeName,
                _ => State.Invalid,
            },
            State.ExtBeforeName => b switch
            {
                (byte)' ' or (byte)'\t' => State.ExtBeforeName,
                _ when IsTokenChar(b) => State.ExtName,
                _ => State.Invalid,
            },
            State.ExtName => b switch
            {
                _ when IsTokenChar(b) => State.ExtName,
                (byte)' ' or (byte)'\t' => State.ExtAfterName,
                _ => AfterExtension(b),
            },
            State.ExtAfterName => b switch
            {
                (byte)' ' or (byte)'\t' => State.ExtAfterName,
                _ => AfterExtension(b),
            },
            State.ExtBeforeValue => b switch
            {
                (byte)' ' or (byte)'\t' => State.ExtBeforeValue,
                (byte)'"' => State.ExtQuoted,
                _ when IsTokenChar(b) => State.ExtToken,
                _ => State.Invalid,
            },
            State.ExtToken => b switch
            {
                _ when IsTokenChar(b) => State.ExtToken,
                (byte)' ' or (byte)'\t' => State.ExtAfterValue,
                (byte)';' => State.ExtBeforeName,
                (byte)'\r' => State.SizeLf,
                _ => State.Invalid,
            },
            State.ExtQuoted => b switch
            {
                (byte)'"' => State.ExtAfterValue,
                (byte)'\\' => State.ExtQuotedEscape,
                _ when b >= 0x80 || QuotedText.Contains(b) => State.ExtQuoted,
                _ => State.Invalid,
            },
            State.ExtQuotedEscape => b is (byte)'\t' or >= 0x20 and not 0x7F ? State.ExtQuoted : State.Invalid,
            State.ExtAfterValue => b switch
            {
                (byte)' ' or (byte)'\t' => State.ExtAfterValue,
                (byte)';' => State.ExtBeforeName,
                (byte)'\r' => State.SizeLf,
                _ => State.Invalid,
            },
            State.SizeLf => b == '\n' ? EndSizeLine() : State.Invalid,
            State.DataCr => b == '\r' ? State.DataLf : State.Invalid,
            State.DataLf => b == '\n' ? StartSizeLine() : State.Invalid,
            State.TrailerLineStart => b switch
            {
                (byte)'\r' => State.TrailerEndLf,
                _ when IsTokenChar(b) => State.TrailerName,
                _ => State.Invalid, // includes obs-fold (SP / HTAB) and bare LF
            },
            State.TrailerEndLf => b == '\n' ? State.Done : State.Invalid,
            State.TrailerName => b switch
            {
                _ when IsTokenChar(b) => State.TrailerName,
                (byte)':' => State.TrailerValue,
                _ => State.Invalid, // includes whitespace before the colon
            },
            State.TrailerValue => b switch
            {
                (byte)'\r' => State.TrailerLf,
                _ when HttpSyntax.FieldValueForbidden.Contains(b) => State.Invalid,
                _ => State.TrailerValue,
            },
            State.TrailerLf => b == '\n' ? State.TrailerLineStart : State.Invalid,
            _ => State.Invalid,
        };
    }

    private static State AfterExtension(byte b) => b switch
    {
        (byte)'=' => State.ExtBeforeValue,
        (byte)';' => State.ExtBeforeName,
        (byte)'\r' => State.SizeLf,
        _ => State.Invalid,
    };

    private State AppendDigit(byte b)
    {
        // 15 hex digits already exceed any body a proxy will see; more would overflow a long.
        if (_chunkRemaining > (long.MaxValue >> 4))
        {
            return State.Invalid;
        }

        _chunkRemaining = (_chunkRemaining << 4) | (long)HexValue(b);
        return State.Size;
    }

    private State EndSizeLine()
    {
        _lineLength = 0;
        return _chunkRemaining == 0 ? State.TrailerLineStart : State.Data;
    }

    private State StartSizeLine()
    {
        _lineLength = 0;
        return State.SizeStart;
    }

    private static bool IsTokenChar(byte b) => HttpSyntax.TokenChars.Contains(b);

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
