namespace Mesh.Protocols.Http;

/// <summary>
/// The message body length rules of RFC 9112 §6.3, for requests and for responses. Every
/// ambiguity a smuggling attack could exploit is a rejection rather than a best guess.
/// </summary>
internal static class HttpMessageFraming
{
    public static HttpRejectReason ResolveRequest(in HttpFieldSummary fields, int minorVersion, out BodyFraming framing, out long contentLength)
    {
        framing = BodyFraming.None;
        contentLength = 0;
        if (fields.HasTransferEncoding)
        {
            HttpRejectReason reason = CheckTransferEncoding(fields, minorVersion);
            if (reason != HttpRejectReason.None)
            {
                return reason;
            }

            // Rule 4: in a request, anything but a single, final "chunked" leaves the length unknowable.
            if (!fields.LastCodingIsChunked || fields.ChunkedCount != 1)
            {
                return HttpRejectReason.TransferEncodingNotChunked;
            }

            // "gzip, chunked" is well framed, but the origin must then apply a coding the proxy never checked it can;
            // the rare client that sends it is told so (RFC 9112 §6.1: 501) rather than an origin guessing.
            if (fields.TransferCodingCount != 1)
            {
                return HttpRejectReason.UnsupportedTransferCoding;
            }

            framing = BodyFraming.Chunked;
            return HttpRejectReason.None;
        }

        return ResolveContentLength(fields, ref framing, ref contentLength, BodyFraming.None);
    }

    public static HttpRejectReason ResolveResponse(
        in HttpFieldSummary fields, int minorVersion, int statusCode, HttpMethodKind requestMethod,
        out BodyFraming framing, out long contentLength)
    {
        framing = BodyFraming.None;
        contentLength = 0;

        // Rules 1 and 2: these never have content, whatever the fields claim.
        if (requestMethod == HttpMethodKind.Head || statusCode is < 200 or 204 or 304
            || (requestMethod == HttpMethodKind.Connect && statusCode is >= 200 and < 300))
        {
            return HttpRejectReason.None;
        }

        if (fields.HasTransferEncoding)
        {
            HttpRejectReason reason = CheckTransferEncoding(fields, minorVersion);
            if (reason != HttpRejectReason.None)
            {
                return reason;
            }

            if (fields.ChunkedCount == 0)
            {
                framing = BodyFraming.CloseDelimited; // Rule 4, response half.
                return HttpRejectReason.None;
            }

            // chunked applied twice, or another coding applied after it: a sender error (RFC 9112 §6.1).
            if (!fields.LastCodingIsChunked || fields.ChunkedCount != 1)
            {
                return HttpRejectReason.TransferEncodingNotChunked;
            }

            framing = BodyFraming.Chunked;
            return HttpRejectReason.None;
        }

        return ResolveContentLength(fields, ref framing, ref contentLength, BodyFraming.CloseDelimited);
    }

    private static HttpRejectReason CheckTransferEncoding(in HttpFieldSummary fields, int minorVersion)
    {
        if (fields.TransferEncodingInvalid || fields.TransferCodingCount == 0)
        {
            return HttpRejectReason.InvalidTransferEncoding;
        }

        // Rule 3: both present "ought to be handled as an error"; for a proxy it always is.
        if (fields.HasContentLength)
        {
            return HttpRejectReason.ContentLengthWithTransferEncoding;
        }

        // §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
        return minorVersion == 0 ? HttpRejectReason.TransferEncodingInHttp10 : HttpRejectReason.None;
    }

    private static HttpRejectReason ResolveContentLength(
        in HttpFieldSummary fields, ref BodyFraming framing, ref long contentLength, BodyFraming otherwise)
    {
        if (!fields.HasContentLength)
        {
            framing = otherwise; // Rules 7 and 8.
            return HttpRejectReason.None;
        }

        if (fields.ContentLengthInvalid)
        {
            return HttpRejectReason.InvalidContentLength;
        }

        if (fields.ContentLengthConflict)
        {
            return HttpRejectReason.ConflictingContentLength;
        }

        framing = BodyFraming.ContentLength;
        contentLength = fields.ContentLength;
        return HttpRejectReason.None;
    }

    /// <summary>RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".</summary>
    public static bool IsPersistent(in HttpFieldSummary fields, int minorVersion) =>
        !fields.ConnectionClose && (minorVersion >= 1 || fields.ConnectionKeepAlive);
}
