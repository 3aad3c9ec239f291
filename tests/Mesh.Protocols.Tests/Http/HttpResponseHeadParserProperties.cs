using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Mesh.Protocols.Http;
using Mesh.Protocols.Tests.Support;

namespace Mesh.Protocols.Tests.Http;

/// <summary>Robustness of the response head parser on random and mutated input.</summary>
public class HttpResponseHeadParserProperties
{
    private static readonly byte[][] Seeds =
    [
        Bytes.Of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"),
        Bytes.Of("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
        Bytes.Of("HTTP/1.0 404 Not Found\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"),
        Bytes.Of("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n"),
    ];

    private static string Outcome(ReadOnlySequence<byte> buffer, HttpMethodKind method)
    {
        var head = new HttpResponseHead();
        HttpHeadStatus status = HttpResponseHeadParser.Default.TryParse(buffer, method, head, out SequencePosition consumed, out HttpRejectReason reason);
        return status == HttpHeadStatus.Complete
            ? $"{status}|{buffer.Slice(0, consumed).Length}|{head.StatusCode}|{head.Framing}|{head.ContentLength}|{head.KeepAlive}|{head.SwitchesToTunnel}|{head.GetRawString()}"
            : $"{status}|{reason}";
    }

    private static Gen<HttpMethodKind> Methods => Gen.Elements(HttpMethodKind.Get, HttpMethodKind.Head, HttpMethodKind.Connect);

    private static Gen<byte[]> Mutated => Gen.Elements(Seeds).SelectMany(Mutations.Mutate);

    [Fact]
    public Task Random_and_mutated_responses_are_handled_consistently() =>
        Properties.Check(
            Mutations.WithCuts(Gen.OneOf(Mutated, Mutations.ProtocolishBytes(300))).Zip(Methods),
            t => Outcome(new ReadOnlySequence<byte>(t.Item1.Data), t.Item2) == Outcome(Segments.Split(t.Item1.Data, t.Item1.Cuts), t.Item2),
            2000);

    [Fact]
    public Task Once_decided_more_bytes_do_not_change_the_answer() =>
        Properties.Check(
            Mutated.SelectMany(d => Gen.Choose(0, d.Length).Select(p => (d, p))),
            t =>
            {
                string prefix = Outcome(new ReadOnlySequence<byte>(t.d[..t.p]), HttpMethodKind.Get);
                return prefix.StartsWith("NeedMoreData", StringComparison.Ordinal) || prefix == Outcome(new ReadOnlySequence<byte>(t.d), HttpMethodKind.Get);
            },
            1500);
}
