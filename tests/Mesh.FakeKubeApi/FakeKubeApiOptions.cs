using System.Net;

namespace Mesh.FakeKubeApi;

/// <summary>How to run the fake API server.</summary>
public sealed record FakeKubeApiOptions
{
    /// <summary>Where to listen; port 0 picks a free one (read it back from <see cref="FakeKubeApiServer.BaseAddress"/>).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>
    /// A directory for the store's journal (a restarted fake keeps objects and history) and, once listening,
    /// <c>kubeconfig</c> and <c>port</c> files. Null: memory only.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>When set, every API request must carry <c>Authorization: Bearer &lt;token&gt;</c> (401 otherwise).</summary>
    public string? BearerToken { get; init; }

    /// <summary>Send a BOOKMARK to every watch that allows them this often (kube-apiserver: about every minute). Null: only when asked.</summary>
    public TimeSpan? BookmarkInterval { get; init; }

    /// <summary>Namespaces created at start if missing.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system"];

    /// <summary>Log requests to the console (the separate-process mode turns it on with --verbose).</summary>
    public bool LogToConsole { get; init; }
}
