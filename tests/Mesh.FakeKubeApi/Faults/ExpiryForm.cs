namespace Mesh.FakeKubeApi.Faults;

/// <summary>How a 410 Expired reaches a watcher.</summary>
public enum ExpiryForm
{
    /// <summary>HTTP 200, then an ERROR event whose object is a Status with code 410 (what kube-apiserver does).</summary>
    ErrorEvent,

    /// <summary>The watch request itself answered 410 with a Status body.</summary>
    HttpStatus,
}
