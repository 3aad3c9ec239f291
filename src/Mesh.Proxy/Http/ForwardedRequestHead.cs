using System.Buffers;
using System.Globalization;
using System.Text;
using Mesh.Protocols.Http;

namespace Mesh.Proxy.Http;

/// <summary>
/// The request head as it goes upstream. Almost always the bytes as received (no copy). Rewritten when forwarding
/// them as they came could make the origin read something the proxy did not decide:
/// <list type="bullet">
/// <item>framing spelled ambiguously (Transfer-Encoding or Content-Length repeated, listed, in other case or
/// spacing): replaced by the one line this parser decided on, so no origin can find a different body end;</item>
/// <item>an upgrade to a protocol that carries HTTP (h2c above all): removed from Upgrade, together with
/// HTTP2-Settings and the Connection options naming them (and "upgrade" itself when nothing is left to switch to),
/// so the request stays HTTP/1.1 and is answered as such (egress-semantics step 4).</item>
/// </list>
/// Other fields go through unchanged, one "name: value" line each. <see cref="OfferedUpgrade"/> keeps what the
/// forwarded request still offers to switch to, to judge a 101 by.
/// </summary>
internal sealed class ForwardedRequestHead
{
    // Made on the first rewrite: almost no head needs one, and every idle kept-alive connection holds this object
    // (a 1 KiB buffer made up front was an eighth of an idle HTTP connection's memory).
    private ArrayBufferWriter<byte>? _rewritten;

    public ReadOnlyMemory<byte> Bytes { get; private set; }

    /// <summary>The Upgrade list the forwarded request carries, or null when it asks for no switch.</summary>
    public string? OfferedUpgrade { get; private set; }

    /// <summary>Whether the last head prepared was rewritten (for tests and the decision log).</summary>
    public bool Rewritten { get; private set; }

    public void Prepare(HttpRequestHead head)
    {
        OfferedUpgrade = null;
        var upgradeCarriesHttp = false;
        if (head.UpgradeLines > 0)
        {
            var offered = new StringBuilder();
            var fields = head.Headers;
            for (var i = 0; i < fields.Count; i++)
            {
                if (!Ascii.EqualsIgnoreCase(fields.GetName(i), "Upgrade"u8)) continue;
                var list = fields.GetValue(i);
                while (HttpSyntax.TryNextListElement(ref list, out var protocol))
                {
                    if (protocol.IsEmpty) continue;
                    if (UpgradeProtocols.CarriesHttp(protocol))
                    {
                        upgradeCarriesHttp = true;
                        continue;
                    }
                    if (offered.Length > 0) offered.Append(", ");
                    offered.Append(Encoding.Latin1.GetString(protocol));
                }
            }
            OfferedUpgrade = offered.Length > 0 ? offered.ToString() : null;
        }

        Rewritten = head.NeedsCanonicalFraming || head.MentionsHttp2 || upgradeCarriesHttp;
        if (!Rewritten)
        {
            Bytes = head.RawMemory;
            return;
        }
        _rewritten ??= new ArrayBufferWriter<byte>(1024);
        _rewritten.ResetWrittenCount();
        Rewrite(head);
        Bytes = _rewritten.WrittenMemory;
    }

    private void Rewrite(HttpRequestHead head)
    {
        var raw = head.Raw;
        Write(raw[..(raw.IndexOf("\r\n"u8) + 2)]); // the request line, as received
        var fields = head.Headers;
        bool framingWritten = false, upgradeWritten = false;
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields.GetName(i);
            var value = fields.GetValue(i);
            if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) || Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (framingWritten) continue;
                framingWritten = true;
                Write(head.Framing == BodyFraming.Chunked
                    ? "Transfer-Encoding: chunked\r\n"u8
                    : Encoding.ASCII.GetBytes($"Content-Length: {head.ContentLength.ToString(CultureInfo.InvariantCulture)}\r\n"));
            }
            else if (Ascii.EqualsIgnoreCase(name, "Upgrade"u8))
            {
                if (upgradeWritten || OfferedUpgrade is null) continue;
                upgradeWritten = true;
                Write("Upgrade: "u8);
                Write(Encoding.Latin1.GetBytes(OfferedUpgrade));
                Write("\r\n"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "HTTP2-Settings"u8))
            {
                continue;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                WriteConnection(value);
            }
            else
            {
                WriteField(name, value);
            }
        }
        Write("\r\n"u8);
    }

    private void WriteConnection(ReadOnlySpan<byte> list)
    {
        var kept = 0;
        while (HttpSyntax.TryNextListElement(ref list, out var option))
        {
            if (option.IsEmpty || Ascii.EqualsIgnoreCase(option, "HTTP2-Settings"u8) || Ascii.EqualsIgnoreCase(option, "h2c"u8)
                || (OfferedUpgrade is null && Ascii.EqualsIgnoreCase(option, "upgrade"u8))) continue;
            Write(kept++ == 0 ? "Connection: "u8 : ", "u8);
            Write(option);
        }
        if (kept > 0) Write("\r\n"u8);
    }

    private void WriteField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        Write("\r\n"u8);
    }

    private void Write(ReadOnlySpan<byte> bytes) => _rewritten!.Write(bytes);
}
