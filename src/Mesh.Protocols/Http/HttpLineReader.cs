namespace Mesh.Protocols.Http;

/// <summary>
/// Finds CRLF-terminated lines. Only CRLF ends a line: a bare LF or a bare CR is rejected rather than
/// tolerated (RFC 9112 §2.2 permits either), because a proxy that splits lines differently from the
/// origin behind it is the classic request-smuggling setup.
/// </summary>
internal static class HttpLineReader
{
    /// <summary>
    /// Reads the line starting at <paramref name="start"/>. Its CRLF must end before <paramref name="limit"/>;
    /// if <paramref name="data"/> already reaches the limit without one, the line is rejected with
    /// <paramref name="tooLong"/>. On success <paramref name="next"/> is the index after the LF.
    /// </summary>
    public static HttpHeadStatus TryReadLine(
        ReadOnlySpan<byte> data, int start, int limit, HttpRejectReason tooLong,
        out int lineLength, out int next, out HttpRejectReason reason)
    {
        lineLength = 0;
        next = start;
        reason = HttpRejectReason.None;

        int end = Math.Min(data.Length, limit);
        ReadOnlySpan<byte> window = start < end ? data[start..end] : default;
        int lf = window.IndexOf((byte)'\n');
        if (lf < 0)
        {
            if (data.Length >= limit)
            {
                reason = tooLong;
                return HttpHeadStatus.Rejected;
            }

            return HttpHeadStatus.NeedMoreData;
        }

        if (lf == 0 || window[lf - 1] != '\r')
        {
            reason = HttpRejectReason.BareLineFeed;
            return HttpHeadStatus.Rejected;
        }

        if (window[..(lf - 1)].Contains((byte)'\r'))
        {
            reason = HttpRejectReason.BareCarriageReturn;
            return HttpHeadStatus.Rejected;
        }

        lineLength = lf - 1;
        next = start + lf + 1;
        return HttpHeadStatus.Complete;
    }
}
