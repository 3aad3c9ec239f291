using System.Buffers;

namespace Mesh.Protocols.Http;

/// <summary>
/// Incremental parser for HTTP/1.x response heads, deciding where the response ends (RFC 9112 §4, §6.3).
/// <code>
/// HttpHeadStatus TryParse(in ReadOnlySequence&lt;byte&gt; buffer, HttpMethodKind requestMethod,
///                         HttpResponseHead head, out SequencePosition consumed, out HttpRejectReason reason)
/// </code>
/// <paramref name="requestMethod"/> is the method of the request this answers (HEAD and CONNECT change
/// the framing). Statuses as for <see cref="HttpRequestHeadParser"/>; a rejected response means the
/// upstream connection cannot be trusted any more (answer the client 502 and close). After an
/// interim (1xx, not 101) head, parse again from <c>consumed</c>: another head follows.
/// </summary>
internal sealed class HttpResponseHeadParser
{
    public HttpResponseHeadParser(HttpHeadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Limits = limits;
    }

    public static HttpResponseHeadParser Default { get; } = new(HttpHeadLimits.Default);

    public HttpHeadLimits Limits { get; }

    public HttpHeadStatus TryParse(
        in ReadOnlySequence<byte> buffer, HttpMethodKind requestMethod, HttpResponseHead head,
        out SequencePosition consumed, out HttpRejectReason reason)
    {
        ArgumentNullException.ThrowIfNull(head);
        head.Reset();
        consumed = buffer.Start;
        ReadOnlySpan<byte> data = HttpHeadInput.GetContiguous(buffer, Limits.MaxHeadSize, head);
        HttpHeadStatus status = Parse(data, requestMethod, head, out int end, out reason);
        if (status == HttpHeadStatus.Complete)
        {
            consumed = buffer.GetPosition(end);
        }
        else
        {
            head.Reset();
        }

        return status;
    }

    private HttpHeadStatus Parse(
        ReadOnlySpan<byte> data, HttpMethodKind requestMethod, HttpResponseHead head, out int end, out HttpRejectReason reason)
    {
        end = 0;
        int lineLimit = Math.Min(Limits.MaxStartLineLength + 2, Limits.MaxHeadSize);
        HttpRejectReason tooLong = lineLimit == Limits.MaxHeadSize ? HttpRejectReason.HeadTooLarge : HttpRejectReason.StartLineTooLong;
        HttpHeadStatus status = HttpLineReader.TryReadLine(data, 0, lineLimit, tooLong, out int lineLength, out int next, out reason);
        if (status != HttpHeadStatus.Complete)
        {
            return status;
        }

        reason = ParseStatusLine(data[..lineLength], head);
        if (reason != HttpRejectReason.None)
        {
            return HttpHeadStatus.Rejected;
        }

        var fields = new HttpFieldSummary();
        status = HttpFieldLinesParser.Parse(
            data, next, 0, Limits.MaxHeadSize, Limits.MaxHeaderCount, head, ref fields, out end, out reason);
        if (status != HttpHeadStatus.Complete)
        {
            return status;
        }

        head.CommitBytes(data[..end]);
        reason = HttpMessageFraming.ResolveResponse(
            fields, head.MinorVersion, head.StatusCode, requestMethod, out BodyFraming framing, out long length);
        head.SetFraming(fields, requestMethod, framing, length);
        return reason == HttpRejectReason.None ? HttpHeadStatus.Complete : HttpHeadStatus.Rejected;
    }

    // status-line = HTTP-version SP status-code SP [ reason-phrase ]. A missing SP after the code
    // ("HTTP/1.1 200") is accepted: common in the wild and harmless, since the reason is never used.
    private static HttpRejectReason ParseStatusLine(ReadOnlySpan<byte> line, HttpResponseHead head)
    {
        if (line.Length < 12 || line[8] != ' ' || !HttpSyntax.TryParseVersion(line[..8], out int major, out int minor))
        {
            return HttpRejectReason.InvalidStartLine;
        }

        if (major != 1)
        {
            return HttpRejectReason.UnsupportedHttpVersion;
        }

        if (!HttpSyntax.TryParseDecimal(line[9..12], out long code) || code is < 100 or > 599)
        {
            return HttpRejectReason.InvalidStatusCode;
        }

        Range reason = new(line.Length, line.Length);
        if (line.Length > 12)
        {
            if (line[12] != ' ')
            {
                return HttpRejectReason.InvalidStatusCode;
            }

            reason = new Range(13, line.Length);
            if (line[13..].ContainsAny(HttpSyntax.FieldValueForbidden))
            {
                return HttpRejectReason.InvalidStartLine;
            }
        }

        head.SetStatusLine(minor, (int)code, reason);
        return HttpRejectReason.None;
    }
}
