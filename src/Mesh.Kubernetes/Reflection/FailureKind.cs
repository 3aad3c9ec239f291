namespace Mesh.Kubernetes.Reflection;

/// <summary>Why a list or watch did not go on, as the reflector classifies it (and counts it).</summary>
public enum FailureKind
{
    /// <summary>410 Gone / Expired, as an HTTP status or an ERROR watch event: the version is compacted; relist.</summary>
    Expired,

    /// <summary>429 Too Many Requests: back off, at least as long as Retry-After says.</summary>
    Throttled,

    /// <summary>A 5xx answer.</summary>
    ServerError,

    /// <summary>401: the credentials are not accepted.</summary>
    Unauthorized,

    /// <summary>403: the credentials lack a verb on the resource (RBAC).</summary>
    Forbidden,

    /// <summary>404: the resource is not served (its CRD is not installed). Counts as no objects.</summary>
    NotFound,

    /// <summary>The watch stream sent nothing and did not close within the stall bound.</summary>
    Stalled,

    /// <summary>The watch closed without any event, right away, several times in a row.</summary>
    ShortWatch,

    /// <summary>Connection refused, reset, cut mid-stream, TLS failures, DNS.</summary>
    Transport,

    /// <summary>Anything else: an unreadable answer, another status code.</summary>
    Unexpected,
}
