using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Mesh.Protocols.Http;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Http;

/// <summary>Robustness of the request head parser on random, mutated and generated-valid input.</summary>
public class HttpRequestHeadParserProperties
{
    private static readonly byte[][] Seeds =
    [
        Bytes.Of("GET /a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"),
        Bytes.Of("POST http://a.example:8080/p HTTP/1.1\r\nHost: a.example\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"),
        Bytes.Of("PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\nExpect: 100-continue\r\n\r\n"),
        Bytes.Of("CONNECT h.example:443 HTTP/1.1\r\nHost: h.example:443\r\n\r\n"),
        Bytes.Of("\r\nOPTIONS * HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\n"),
    ];

    // A small limit makes the size limits reachable by mutation too.
    private static readonly HttpRequestHeadParser Parser = new(new HttpHeadLimits { MaxHeadSize = 512, MaxStartLineLength = 128, MaxHeaderCount = 6 });

    private static string Outcome(ReadOnlySequence<byte> buffer)
    {
        var head = new HttpRequestHead();
        HttpHeadStatus status = Parser.TryParse(buffer, head, out SequencePosition consumed, out HttpRejectReason reason);
        var text = new StringBuilder($"{status}|{reason}|{buffer.Slice(0, consumed).Length}");
        if (status == HttpHeadStatus.Complete)
        {
            text.Append($"|{head.GetRawString()}|{head.GetMethodString()}|{head.TargetForm}|{head.GetPathString()}|{head.GetAuthorityString()}");
            text.Append($"|{head.Framing}|{head.ContentLength}|{head.KeepAlive}|{head.IsUpgradeRequest}|{head.Headers.Count}");
        }

        return text.ToString();
    }

    private static bool SameWhateverTheSegmentation((byte[] Data, int[] Cuts) input) =>
        Outcome(new ReadOnlySequence<byte>(input.Data)) == Outcome(Segments.Split(input.Data, input.Cuts));

    private static Gen<byte[]> Mutated => Gen.Elements(Seeds).SelectMany(Mutations.Mutate);

    [Fact]
    public Task Random_bytes_are_handled_consistently() =>
        Properties.Check(Mutations.WithCuts(Mutations.ProtocolishBytes(700)), SameWhateverTheSegmentation, 1000);

    [Fact]
    public Task Mutated_requests_are_handled_consistently() =>
        Properties.Check(Mutations.WithCuts(Mutated), SameWhateverTheSegmentation, 2000);

    [Fact]
    public Task Once_decided_more_bytes_do_not_change_the_answer() =>
        Properties.Check(
            Mutated.SelectMany(d => Gen.Choose(0, d.Length).Select(p => (d, p))),
            t =>
            {
                string prefix = Outcome(new ReadOnlySequence<byte>(t.d[..t.p]));
                return prefix.StartsWith("NeedMoreData", StringComparison.Ordinal) || prefix == Outcome(new ReadOnlySequence<byte>(t.d));
            },
            2000);

    private static readonly Gen<string> Token = Gen.Elements("a", "X-Id", "accept", "x.y_z", "~!#$%&'*+-.^_`|");
    private static readonly Gen<string> FieldValue = Gen.Elements("", "1", "text/html, */*", "a  b", "\u00ff\u0080", "\"q\"", "x=1; y=2");
    private static readonly Gen<string> Path = Gen.Elements("/", "/a", "/a/b?c=d", "/%20?x", "/a;b/c@d:e?f=/g?");

    private static Gen<(string Text, string Path, int Fields)> ValidRequests =>
        from method in Gen.Elements("GET", "POST", "DELETE", "PURGE")
        from path in Path
        from minor in Gen.Elements("0", "1")
        from fields in Gen.ListOf(Token.Zip(FieldValue), 4)
        from body in Gen.Elements("", "Content-Length: 12\r\n", "Transfer-Encoding: chunked\r\n")
        let framing = minor == "0" && body.StartsWith("Transfer", StringComparison.Ordinal) ? "" : body
        let lines = string.Concat(fields.Select(f => $"{f.Item1}: {f.Item2}\r\n"))
        select ($"{method} {path} HTTP/1.{minor}\r\nHost: h.example\r\n{lines}{framing}\r\n", path, fields.Count + 1 + (framing.Length > 0 ? 1 : 0));

    [Fact]
    public Task Generated_valid_requests_parse_completely_in_any_segmentation() =>
        Properties.Check(
            ValidRequests.SelectMany(r => Mutations.Cuts(r.Text.Length).Select(c => (r, c))),
            t =>
            {
                byte[] data = Bytes.Of(t.r.Text);
                var head = new HttpRequestHead();
                HttpHeadStatus status = HttpRequestHeadParser.Default.TryParse(Segments.Split(data, t.c), head, out _, out _);
                return status == HttpHeadStatus.Complete
                    && head.GetRawString() == t.r.Text
                    && head.GetPathString() == t.r.Path.Split('?')[0]
                    && head.Headers.Count == t.r.Fields
                    && head.GetAuthorityString() == "h.example";
            },
            500);
}
