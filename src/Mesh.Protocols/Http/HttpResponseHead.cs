namespace Mesh.Protocols.Http;

/// <summary>
/// A parsed response head (filled by <see cref="HttpResponseHeadParser"/>). Spans point into the head's
/// own copy of the bytes and stay valid until the object is parsed into again; reuse one per connection.
/// </summary>
internal sealed class HttpResponseHead : HttpMessageHead
{
    private Range _reason;
    private int _upgradeField = -1;

    public int StatusCode { get; private set; }

    public ReadOnlySpan<byte> ReasonPhrase => Raw[_reason];

    /// <summary>The (first) Upgrade field value: for a 101, the protocol(s) switched to. Empty when absent.</summary>
    public ReadOnlySpan<byte> Upgrade => _upgradeField < 0 ? default : Headers.GetValue(_upgradeField);

    /// <summary>Upgrade field lines in the response.</summary>
    public int UpgradeLines { get; private set; }

    /// <summary>A 1xx other than 101: an interim response; the final response head follows it.</summary>
    public bool IsInterim => StatusCode is >= 100 and < 200 and not 101;

    /// <summary>
    /// 101 Switching Protocols, or a 2xx answer to CONNECT: after this head the connection is a tunnel
    /// carrying another protocol, and HTTP/1.1 message framing no longer applies.
    /// </summary>
    public bool SwitchesToTunnel { get; private set; }

    internal override void Reset()
    {
        base.Reset();
        _reason = default;
        StatusCode = 0;
        SwitchesToTunnel = false;
        _upgradeField = -1;
        UpgradeLines = 0;
    }

    internal void SetStatusLine(int minorVersion, int statusCode, Range reason)
    {
        MinorVersion = minorVersion;
        StatusCode = statusCode;
        _reason = reason;
    }

    internal void SetFraming(in HttpFieldSummary fields, HttpMethodKind requestMethod, BodyFraming framing, long contentLength)
    {
        ConnectionUpgrade = fields.ConnectionUpgrade;
        _upgradeField = fields.UpgradeIndex;
        UpgradeLines = fields.UpgradeLines;
        SwitchesToTunnel = StatusCode == 101 || (requestMethod == HttpMethodKind.Connect && StatusCode is >= 200 and < 300);
        Framing = framing;
        ContentLength = contentLength;

        // A close-delimited body ends the connection by definition; a tunnel is not HTTP any more.
        KeepAlive = framing != BodyFraming.CloseDelimited && !SwitchesToTunnel
            && HttpMessageFraming.IsPersistent(fields, MinorVersion);
    }
}
