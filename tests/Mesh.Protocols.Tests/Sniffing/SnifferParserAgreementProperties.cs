using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Mesh.Protocols.Http;
using Mesh.Protocols.Sniffing;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Sniffing;

/// <summary>
/// The sniffer and the parsers never disagree in the direction that matters (egress-semantics step 2): whatever Mesh's
/// request parser accepts, and whatever a lenient server reads as a request line, is never called opaque or TLS, on
/// any prefix. Under passthrough an opaque flow is forwarded untouched, so any such disagreement is a way around the
/// routes (issue 14: "\r\nGET ..." was opaque while both the parser and nginx skip the empty line).
/// </summary>
public class SnifferParserAgreementProperties
{
    private static readonly string[] Leading = ["", "", "\r\n", "\r\n\r\n", "\n", " ", "\t", "\v", "\f", "\r\n \t"];
    private static readonly string[] Methods = ["GET", "POST", "get", "PRI", "X", "M-SEARCH", new string('A', 40), "G\u00e9T", "/", "GET/"];
    private static readonly string[] Separators = [" ", " ", "\t", "\v", "\f", "\r", "  ", "", "\r\n"];
    private static readonly string[] Targets = ["/", "/a?b", "*", "http://h.example/x", "/|{}", "/%2e%2e/"];
    private static readonly string[] Versions = [" HTTP/1.1", " HTTP/1.0", " HTTP/2.0", "", " FOO", "\tHTTP/1.1"];
    private static readonly string[] Rests = ["\r\nHost: a\r\n\r\n", "\r\n\r\n", "\n", "", "\r\nHost: a\r\nContent-Length: 1\r\n\r\nx"];

    /// <summary>Request-ish inputs: pieces lenient servers tolerate and ones nobody does, then byte-level mutations.</summary>
    private static Gen<byte[]> Inputs
    {
        get
        {
            var assembled =
                from leading in Gen.Elements(Leading)
                from method in Gen.Elements(Methods)
                from separator in Gen.Elements(Separators)
                from target in Gen.Elements(Targets)
                from version in Gen.Elements(Versions)
                from rest in Gen.Elements(Rests)
                select Bytes.Of(leading + method + separator + target + version + rest);
            return Gen.OneOf(assembled, assembled.SelectMany(Mutations.Mutate), Mutations.ProtocolishBytes(80));
        }
    }

    [Fact]
    public Task What_the_parser_accepts_is_http_to_the_sniffer_on_every_prefix() =>
        Properties.Check(
            Inputs.Where(ParserAccepts),
            data => EveryPrefix(data, p => p is SniffedProtocol.Http1 or SniffedProtocol.NeedMoreData) && ProtocolSniffer.Sniff(data) == SniffedProtocol.Http1,
            2000);

    [Fact]
    public Task What_a_lenient_server_reads_as_a_request_line_is_never_opaque_or_tls_to_the_sniffer() =>
        Properties.Check(
            Inputs.Where(LenientServerReadsRequestLine),
            data => EveryPrefix(data, p => p is not (SniffedProtocol.Opaque or SniffedProtocol.Tls)),
            2000);

    [Fact]
    public void The_generators_reach_both_sides()
    {
        // Guards the properties above against vacuous truth: the generators must produce accepted requests, lenient
        // request lines the parser refuses, and opaque input.
        var samples = Gen.Sample(Inputs, 2000).ToList();
        Assert.Contains(samples, ParserAccepts);
        Assert.Contains(samples, d => LenientServerReadsRequestLine(d) && !ParserAccepts(d));
        Assert.Contains(samples, d => ProtocolSniffer.Sniff(d) == SniffedProtocol.Opaque);
    }

    private static bool EveryPrefix(byte[] data, Func<SniffedProtocol, bool> holds)
    {
        for (int length = 0; length <= data.Length; length++)
        {
            if (!holds(ProtocolSniffer.Sniff(data.AsSpan(0, length))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ParserAccepts(byte[] data) =>
        HttpRequestHeadParser.Default.TryParse(new ReadOnlySequence<byte>(data), new HttpRequestHead(), out _, out _) == HttpHeadStatus.Complete;

    /// <summary>
    /// A reference for the most lenient reading RFC 9112 permits: skip empty lines and leading whitespace (§2.2), take
    /// the line up to LF, split it on any whitespace including bare CR (§3), and see a method token and a target.
    /// </summary>
    private static bool LenientServerReadsRequestLine(byte[] data)
    {
        var text = Bytes.Text(data).TrimStart(' ', '\t', '\r', '\n', '\v', '\f');
        var lf = text.IndexOf('\n', StringComparison.Ordinal);
        if (lf < 0)
        {
            return false;
        }

        var parts = text[..lf].Split([' ', '\t', '\v', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && HttpSyntax.IsToken(Bytes.Of(parts[0]));
    }
}
