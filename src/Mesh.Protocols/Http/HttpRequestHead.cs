using System.Text;

namespace Mesh.Protocols.Http;

/// <summary>
/// A parsed request head (filled by <see cref="HttpRequestHeadParser"/>). Spans point into the head's
/// own copy of the bytes and stay valid until the object is parsed into again; reuse one per connection.
/// </summary>
internal sealed class HttpRequestHead : HttpMessageHead
{
    private Range _method;
    private Range _target;
    private RequestTarget _parts;
    private int _hostField;
    private int _upgradeField;

    public ReadOnlySpan<byte> Method => Raw[_method];

    public HttpMethodKind MethodKind { get; private set; }

    /// <summary>The request-target exactly as received; forward this.</summary>
    public ReadOnlySpan<byte> Target => Raw[_target];

    public RequestTargetForm TargetForm => _parts.Form;

    /// <summary>Scheme of an absolute-form target, else empty.</summary>
    public ReadOnlySpan<byte> Scheme => Target[_parts.Scheme];

    /// <summary>
    /// Where the request is going: the target's authority for absolute-form and authority-form
    /// (RFC 9112 §3.2.2 says Host is then ignored), else the Host field value (possibly empty).
    /// </summary>
    public ReadOnlySpan<byte> Authority => _parts.Form is RequestTargetForm.Absolute or RequestTargetForm.Authority
        ? Target[_parts.Authority]
        : Host;

    /// <summary>The path without the query, for route matching: "/a/b" for "/a/b?x=1"; "/" for "http://h".</summary>
    public ReadOnlySpan<byte> Path => _parts.Form switch
    {
        RequestTargetForm.Absolute when Target[_parts.Path].IsEmpty => "/"u8,
        RequestTargetForm.Asterisk => "*"u8,
        _ => Target[_parts.Path],
    };

    /// <summary>The query without its '?', or empty.</summary>
    public ReadOnlySpan<byte> Query => Target[_parts.Query];

    /// <summary>The Host field value, or empty when absent.</summary>
    public ReadOnlySpan<byte> Host => _hostField < 0 ? default : Headers.GetValue(_hostField);

    /// <summary>Upgrade field value, or empty when absent.</summary>
    public ReadOnlySpan<byte> Upgrade => _upgradeField < 0 ? default : Headers.GetValue(_upgradeField);

    /// <summary>Connection: upgrade together with an Upgrade field (RFC 9110 §7.8), e.g. WebSocket.</summary>
    public bool IsUpgradeRequest => ConnectionUpgrade && _upgradeField >= 0;

    /// <summary>Expect: 100-continue was sent.</summary>
    public bool ExpectContinue { get; private set; }

    /// <summary>Upgrade field lines (a proxy that rewrites them must see every one).</summary>
    public int UpgradeLines { get; private set; }

    /// <summary>
    /// Transfer-Encoding or Content-Length is spelled in a way recipients may read differently (more than one line,
    /// a list, other case, leading zeros, other whitespace): forward the framing this parser decided on, not the bytes.
    /// </summary>
    public bool NeedsCanonicalFraming { get; private set; }

    /// <summary>An HTTP2-Settings field (RFC 7540 §3.2.1), or a Connection option naming it or h2c.</summary>
    public bool MentionsHttp2 { get; private set; }

    public string GetMethodString() => Encoding.ASCII.GetString(Method);

    public string GetAuthorityString() => Encoding.ASCII.GetString(Authority);

    public string GetPathString() => Encoding.ASCII.GetString(Path);

    internal override void Reset()
    {
        base.Reset();
        _method = _target = default;
        _parts = default;
        _hostField = _upgradeField = -1;
        MethodKind = HttpMethodKind.Other;
        ExpectContinue = false;
        UpgradeLines = 0;
        NeedsCanonicalFraming = false;
        MentionsHttp2 = false;
    }

    internal void SetStartLine(Range method, HttpMethodKind kind, Range target, in RequestTarget parts, int minorVersion)
    {
        _method = method;
        MethodKind = kind;
        _target = target;
        _parts = parts;
        MinorVersion = minorVersion;
    }

    internal void SetFields(in HttpFieldSummary fields)
    {
        _hostField = fields.HostIndex;
        _upgradeField = fields.UpgradeIndex;
        ExpectContinue = fields.ExpectContinue;
        ConnectionUpgrade = fields.ConnectionUpgrade;
        UpgradeLines = fields.UpgradeLines;
        NeedsCanonicalFraming = fields.FramingNotCanonical;
        MentionsHttp2 = fields.Http2Settings || fields.ConnectionNamesHttp2;
        KeepAlive = HttpMessageFraming.IsPersistent(fields, MinorVersion);
    }
}
