namespace Mesh.Protocols.Http;

/// <summary>
/// Parses the field lines after a start line up to and including the blank line (RFC 9112 §5),
/// recording each field's ranges in the head and feeding the <see cref="HttpFieldSummary"/>.
/// </summary>
internal static class HttpFieldLinesParser
{
    /// <param name="data">Everything examined so far.</param>
    /// <param name="start">Index of the first field line.</param>
    /// <param name="headStart">Index where the head begins; stored ranges are relative to it.</param>
    /// <param name="limit">Index before which the blank line must end (the head size limit).</param>
    /// <param name="headEnd">On completion, the index just after the blank line.</param>
    public static HttpHeadStatus Parse(
        ReadOnlySpan<byte> data, int start, int headStart, int limit, int maxFields, HttpMessageHead head,
        ref HttpFieldSummary summary, out int headEnd, out HttpRejectReason reason)
    {
        int pos = start;
        headEnd = 0;
        while (true)
        {
            HttpHeadStatus status = HttpLineReader.TryReadLine(
                data, pos, limit, HttpRejectReason.HeadTooLarge, out int length, out int next, out reason);
            if (status != HttpHeadStatus.Complete)
            {
                return status;
            }

            if (length == 0)
            {
                headEnd = next;
                return HttpHeadStatus.Complete;
            }

            if (head.FieldCount >= maxFields)
            {
                reason = HttpRejectReason.TooManyHeaders;
                return HttpHeadStatus.Rejected;
            }

            reason = ParseFieldLine(data.Slice(pos, length), out int nameLength, out int valueOffset, out int valueLength);
            if (reason != HttpRejectReason.None)
            {
                return HttpHeadStatus.Rejected;
            }

            bool plainSpacing = valueOffset == nameLength + 2 && data[pos + nameLength + 1] == ' ' && valueOffset + valueLength == length;
            int index = head.FieldCount;
            head.AddField(new HttpHeaderField(pos - headStart, nameLength, pos + valueOffset - headStart, valueLength));
            summary.Observe(index, data.Slice(pos, nameLength), data.Slice(pos + valueOffset, valueLength), plainSpacing);
            pos = next;
        }
    }

    // field-line = field-name ":" OWS field-value OWS
    private static HttpRejectReason ParseFieldLine(ReadOnlySpan<byte> line, out int nameLength, out int valueOffset, out int valueLength)
    {
        nameLength = valueOffset = valueLength = 0;
        if (HttpSyntax.IsWhitespace(line[0]))
        {
            // obs-fold, or whitespace between the start line and the first field (RFC 9112 §2.2, §5.2).
            return HttpRejectReason.ObsoleteLineFolding;
        }

        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return HttpRejectReason.InvalidHeaderName;
        }

        ReadOnlySpan<byte> name = line[..colon];
        if (HttpSyntax.IsWhitespace(name[^1]))
        {
            return HttpRejectReason.WhitespaceBeforeColon; // RFC 9112 §5.1: MUST reject.
        }

        if (!HttpSyntax.IsToken(name))
        {
            return HttpRejectReason.InvalidHeaderName;
        }

        ReadOnlySpan<byte> rest = line[(colon + 1)..];
        int leading = rest.Length - rest.TrimStart(" \t"u8).Length;
        ReadOnlySpan<byte> value = HttpSyntax.TrimOws(rest);
        if (value.ContainsAny(HttpSyntax.FieldValueForbidden))
        {
            return HttpRejectReason.InvalidHeaderValue;
        }

        nameLength = colon;
        valueOffset = colon + 1 + leading;
        valueLength = value.Length;
        return HttpRejectReason.None;
    }
}
