using System.Text;

namespace Mesh.Protocols.Http;

/// <summary>
/// What the framing and routing decisions need from the field lines, gathered in the same pass that
/// splits them. Repeated fields are combined in order, as if joined into one comma-separated list
/// (RFC 9110 §5.3), so "TE: gzip" + "TE: chunked" reads as "gzip, chunked".
/// </summary>
internal struct HttpFieldSummary
{
    public int HostCount;
    public int HostIndex;
    public bool HasContentLength;
    public bool ContentLengthInvalid;
    public bool ContentLengthConflict;
    public long ContentLength;
    public bool HasTransferEncoding;
    public bool TransferEncodingInvalid;
    public int TransferCodingCount;
    public int ChunkedCount;
    public bool LastCodingIsChunked;
    public bool ConnectionClose;
    public bool ConnectionKeepAlive;
    public bool ConnectionUpgrade;
    public int UpgradeIndex;
    public int UpgradeLines;
    public bool ExpectContinue;

    // What a proxy must not forward as it came (see HttpRequestHead.NeedsCanonicalFraming and friends).
    public int TransferEncodingLines;
    public int ContentLengthLines;
    public bool FramingNotCanonical;
    public bool Http2Settings;
    public bool ConnectionNamesHttp2;
    public bool LookalikeFramingName;
    public bool ConnectionNamesEndToEndField;

    public HttpFieldSummary()
    {
        HostIndex = -1;
        UpgradeIndex = -1;
    }

    /// <summary>
    /// Takes note of one (already syntax-checked) field line. <paramref name="plainSpacing"/>: exactly one SP between
    /// the colon and the value and nothing after it, the form every recipient reads the same way.
    /// </summary>
    public void Observe(int index, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool plainSpacing = true)
    {
        switch (name.Length)
        {
            case 4 when Ascii.EqualsIgnoreCase(name, "Host"u8):
                HostCount++;
                HostIndex = HostIndex < 0 ? index : HostIndex;
                break;
            case 6 when Ascii.EqualsIgnoreCase(name, "Expect"u8):
                ExpectContinue |= Ascii.EqualsIgnoreCase(value, "100-continue"u8);
                break;
            case 7 when Ascii.EqualsIgnoreCase(name, "Upgrade"u8):
                UpgradeIndex = UpgradeIndex < 0 ? index : UpgradeIndex;
                UpgradeLines++;
                break;
            case 10 when Ascii.EqualsIgnoreCase(name, "Connection"u8):
                ObserveConnection(value);
                break;
            case 14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8):
                ContentLengthLines++;
                FramingNotCanonical |= ContentLengthLines > 1 || !plainSpacing || !IsCanonicalLength(value);
                ObserveContentLength(value);
                break;
            case 14 when Ascii.EqualsIgnoreCase(name, "HTTP2-Settings"u8):
                Http2Settings = true;
                break;
            case 17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8):
                TransferEncodingLines++;
                FramingNotCanonical |= TransferEncodingLines > 1 || !plainSpacing || !value.SequenceEqual("chunked"u8);
                ObserveTransferEncoding(value);
                break;
            case 14 or 17 when name.Contains((byte)'_'):
                LookalikeFramingName |= IsLookalike(name);
                break;
            default:
                break;
        }
    }

    private void ObserveConnection(ReadOnlySpan<byte> value)
    {
        while (HttpSyntax.TryNextListElement(ref value, out ReadOnlySpan<byte> option))
        {
            ConnectionClose |= Ascii.EqualsIgnoreCase(option, "close"u8);
            ConnectionKeepAlive |= Ascii.EqualsIgnoreCase(option, "keep-alive"u8);
            ConnectionUpgrade |= Ascii.EqualsIgnoreCase(option, "upgrade"u8);
            ConnectionNamesHttp2 |= Ascii.EqualsIgnoreCase(option, "http2-settings"u8) || Ascii.EqualsIgnoreCase(option, "h2c"u8);

            // RFC 9110 §7.6.1: an intermediary removes the fields a Connection option names. Naming framing or Host
            // asks the next proxy in line to strip them, leaving the origin a different body end or host than decided.
            ConnectionNamesEndToEndField |= Ascii.EqualsIgnoreCase(option, "content-length"u8)
                || Ascii.EqualsIgnoreCase(option, "transfer-encoding"u8) || Ascii.EqualsIgnoreCase(option, "host"u8);
        }
    }

    // "1*DIGIT" without leading zeros (or "0"): the only spelling every recipient reads as the same number.
    private static bool IsCanonicalLength(ReadOnlySpan<byte> value) =>
        !value.IsEmpty && !value.ContainsAnyExceptInRange((byte)'0', (byte)'9') && (value.Length == 1 || value[0] != '0');

    // "Content_Length" / "Transfer_Encoding": no field to HTTP, but the framing field itself to a server that reads
    // '_' as '-' (CGI-style environments): a body only such an origin would see.
    private static bool IsLookalike(ReadOnlySpan<byte> name)
    {
        Span<byte> dashed = stackalloc byte[name.Length];
        name.CopyTo(dashed);
        dashed.Replace((byte)'_', (byte)'-');
        return Ascii.EqualsIgnoreCase(dashed, "Content-Length"u8) || Ascii.EqualsIgnoreCase(dashed, "Transfer-Encoding"u8);
    }

    // RFC 9110 §8.6: a list of identical values ("5, 5", or the field repeated) is one length;
    // anything else is unrecoverable, because two hops could then disagree on where the body ends.
    private void ObserveContentLength(ReadOnlySpan<byte> value)
    {
        bool any = false;
        bool first = !HasContentLength;
        HasContentLength = true;
        while (HttpSyntax.TryNextListElement(ref value, out ReadOnlySpan<byte> element))
        {
            any = true;
            if (!HttpSyntax.TryParseDecimal(element, out long length))
            {
                ContentLengthInvalid = true;
                return;
            }

            if (!first && length != ContentLength)
            {
                ContentLengthConflict = true;
            }

            first = false;
            ContentLength = length;
        }

        ContentLengthInvalid |= !any;
    }

    private void ObserveTransferEncoding(ReadOnlySpan<byte> value)
    {
        HasTransferEncoding = true;
        while (HttpSyntax.TryNextListElement(ref value, out ReadOnlySpan<byte> element))
        {
            if (element.IsEmpty)
            {
                continue; // RFC 9110 §5.6.1: empty list elements are ignored.
            }

            // transfer-coding = token *( OWS ";" OWS transfer-parameter ); only the name matters here.
            int semicolon = element.IndexOf((byte)';');
            ReadOnlySpan<byte> coding = semicolon < 0 ? element : HttpSyntax.TrimOws(element[..semicolon]);
            if (!HttpSyntax.IsToken(coding))
            {
                TransferEncodingInvalid = true;
                return;
            }

            TransferCodingCount++;
            LastCodingIsChunked = Ascii.EqualsIgnoreCase(coding, "chunked"u8);
            if (LastCodingIsChunked)
            {
                ChunkedCount++;
            }
        }
    }
}
