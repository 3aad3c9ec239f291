namespace Mesh.Proxy.Http;

/// <summary>What a new snapshot means for the HTTP request in flight.</summary>
internal enum HttpRecheck
{
    /// <summary>Nothing in flight, or the request is still allowed.</summary>
    StillAllowed,

    /// <summary>Revoked: the response may finish within the revocation deadline, then the connection closes.</summary>
    FinishResponse,

    /// <summary>Revoked while an upgraded tunnel: no message boundary to wait for.</summary>
    ResetNow,
}
