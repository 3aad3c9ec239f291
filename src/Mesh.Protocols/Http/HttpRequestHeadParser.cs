using System.Buffers;
using System.Text;

namespace Mesh.Protocols.Http;

/// <summary>
/// Incremental parser for HTTP/1.0 and HTTP/1.1 request heads (RFC 9112 §2–§6).
/// <code>
/// HttpHeadStatus TryParse(in ReadOnlySequence&lt;byte&gt; buffer, HttpRequestHead head,
///                         out SequencePosition consumed, out HttpRejectReason reason)
/// </code>
/// Call with everything received so far. <see cref="HttpHeadStatus.NeedMoreData"/>: nothing consumed,
/// call again with more (advance the pipe with consumed = start, examined = end).
/// <see cref="HttpHeadStatus.Complete"/>: <paramref name="head"/> holds the request and
/// <c>consumed</c> is where its body (or the next request) starts. <see cref="HttpHeadStatus.Rejected"/>:
/// answer <c>reason.ToStatusCode()</c> and close. Leading empty lines are skipped (RFC 9112 §2.2).
/// The parser is stateless and thread-safe; each call re-examines at most <c>MaxHeadSize</c> bytes.
/// </summary>
internal sealed class HttpRequestHeadParser
{
    public HttpRequestHeadParser(HttpHeadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Limits = limits;
    }

    public static HttpRequestHeadParser Default { get; } = new(HttpHeadLimits.Default);

    public HttpHeadLimits Limits { get; }

    public HttpHeadStatus TryParse(
        in ReadOnlySequence<byte> buffer, HttpRequestHead head, out SequencePosition consumed, out HttpRejectReason reason)
    {
        ArgumentNullException.ThrowIfNull(head);
        head.Reset();
        consumed = buffer.Start;
        ReadOnlySpan<byte> data = HttpHeadInput.GetContiguous(buffer, Limits.MaxHeadSize, head);
        HttpHeadStatus status = Parse(data, head, out int end, out reason);
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

    private HttpHeadStatus Parse(ReadOnlySpan<byte> data, HttpRequestHead head, out int end, out HttpRejectReason reason)
    {
        end = 0;
        int start = 0;
        while (data.Length - start >= 2 && data[start] == '\r' && data[start + 1] == '\n')
        {
            start += 2;
        }

        int lineLimit = Math.Min(start + Limits.MaxStartLineLength + 2, Limits.MaxHeadSize);
        HttpRejectReason tooLong = lineLimit == Limits.MaxHeadSize ? HttpRejectReason.HeadTooLarge : HttpRejectReason.StartLineTooLong;
        HttpHeadStatus status = HttpLineReader.TryReadLine(data, start, lineLimit, tooLong, out int lineLength, out int next, out reason);
        if (status != HttpHeadStatus.Complete)
        {
            return status;
        }

        reason = ParseRequestLine(data.Slice(start, lineLength), head);
        if (reason != HttpRejectReason.None)
        {
            return HttpHeadStatus.Rejected;
        }

        var fields = new HttpFieldSummary();
        status = HttpFieldLinesParser.Parse(
            data, next, start, Limits.MaxHeadSize, Limits.MaxHeaderCount, head, ref fields, out end, out reason);
        if (status != HttpHeadStatus.Complete)
        {
            return status;
        }

        head.CommitBytes(data[start..end]);
        reason = CheckFields(head, fields);
        return reason == HttpRejectReason.None ? HttpHeadStatus.Complete : HttpHeadStatus.Rejected;
    }

    // request-line = method SP request-target SP HTTP-version; exactly one SP each (no lenient splitting).
    private static HttpRejectReason ParseRequestLine(ReadOnlySpan<byte> line, HttpRequestHead head)
    {
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 < 0)
        {
            return HttpRejectReason.InvalidStartLine;
        }

        ReadOnlySpan<byte> method = line[..sp1];
        if (!HttpSyntax.IsToken(method))
        {
            return HttpRejectReason.InvalidMethod;
        }

        int sp2 = line[(sp1 + 1)..].IndexOf((byte)' ');
        if (sp2 <= 0)
        {
            return HttpRejectReason.InvalidStartLine;
        }

        int targetStart = sp1 + 1;
        int targetEnd = targetStart + sp2;
        if (!HttpSyntax.TryParseVersion(line[(targetEnd + 1)..], out int major, out int minor))
        {
            return HttpRejectReason.InvalidStartLine;
        }

        if (major != 1)
        {
            return HttpRejectReason.UnsupportedHttpVersion;
        }

        HttpMethodKind kind = HttpMethods.Classify(method);
        if (!RequestTarget.TryParse(line[targetStart..targetEnd], kind, out RequestTarget target))
        {
            return HttpRejectReason.InvalidRequestTarget;
        }

        head.SetStartLine(new Range(0, sp1), kind, new Range(targetStart, targetEnd), target, minor);
        return HttpRejectReason.None;
    }

    private static HttpRejectReason CheckFields(HttpRequestHead head, in HttpFieldSummary fields)
    {
        head.SetFields(fields);

        if (fields.LookalikeFramingName)
        {
            return HttpRejectReason.LookalikeFramingField;
        }

        if (fields.ConnectionNamesEndToEndField)
        {
            return HttpRejectReason.HopByHopFramingField;
        }

        // RFC 9112 §3.2: exactly one valid Host in HTTP/1.1; at most one in HTTP/1.0.
        if (fields.HostCount > 1)
        {
            return HttpRejectReason.MultipleHost;
        }

        // Stricter than RFC 9112 for HTTP/1.0 and empty values: a request is decided by the host it names, so one that
        // names none (no Host, or an empty one, and no absolute-form authority) is refused rather than left to the
        // origin's default site.
        bool absolute = head.TargetForm == RequestTargetForm.Absolute;
        if (fields.HostCount == 0 && (head.MinorVersion >= 1 || !absolute))
        {
            return HttpRejectReason.MissingHost;
        }

        if (fields.HostCount == 1 && !AuthoritySyntax.IsValidHostAndPort(head.Host, requirePort: false, allowEmptyHost: false))
        {
            return HttpRejectReason.InvalidHost;
        }

        // RFC 9112 §3.2.2: Host must then be identical to the target's authority. Servers disagree on which of the
        // two wins when they differ (the RFC says the target), so a request whose two names differ is refused.
        if (absolute && fields.HostCount == 1 && !Ascii.EqualsIgnoreCase(head.Host, head.Authority))
        {
            return HttpRejectReason.HostMismatchesTarget;
        }

        HttpRejectReason reason = HttpMessageFraming.ResolveRequest(fields, head.MinorVersion, out BodyFraming framing, out long length);
        head.Framing = framing;
        head.ContentLength = length;
        return reason;
    }
}
