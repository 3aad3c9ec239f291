namespace Mesh.Protocols.Http;

/// <summary>Why a message head was rejected. Use <see cref="HttpRejectReasons.ToStatusCode"/> to answer a request.</summary>
internal enum HttpRejectReason
{
    None,
    InvalidStartLine,
    InvalidMethod,
    InvalidRequestTarget,
    UnsupportedHttpVersion,
    InvalidStatusCode,
    StartLineTooLong,
    HeadTooLarge,
    TooManyHeaders,
    InvalidHeaderName,
    WhitespaceBeforeColon,
    ObsoleteLineFolding,
    BareCarriageReturn,
    BareLineFeed,
    InvalidHeaderValue,
    MissingHost,
    MultipleHost,
    InvalidHost,
    ContentLengthWithTransferEncoding,
    InvalidContentLength,
    ConflictingContentLength,
    InvalidTransferEncoding,
    TransferEncodingNotChunked,
    TransferEncodingInHttp10,
    UnsupportedTransferCoding,
    LookalikeFramingField,
    HopByHopFramingField,
    HostMismatchesTarget,
    AmbiguousPath,
}

/// <summary>Maps rejection reasons to the status a server answers a request with (RFC 9110 / RFC 6585).</summary>
internal static class HttpRejectReasons
{
    public static int ToStatusCode(this HttpRejectReason reason) => reason switch
    {
        HttpRejectReason.StartLineTooLong => 414,
        HttpRejectReason.HeadTooLarge or HttpRejectReason.TooManyHeaders => 431,
        HttpRejectReason.UnsupportedHttpVersion => 505,
        HttpRejectReason.UnsupportedTransferCoding => 501,
        _ => 400,
    };
}
