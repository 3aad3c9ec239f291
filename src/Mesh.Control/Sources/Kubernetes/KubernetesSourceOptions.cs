using k8s;
using Mesh.Kubernetes.Client;
using Mesh.Kubernetes.Reflection;

namespace Mesh.Control.Sources.Kubernetes;

/// <summary>
/// How the control plane reads the Kubernetes API (hocon: <c>mesh.control.kubernetes</c>; <c>mesh controller
/// --kubernetes [--kubeconfig PATH] [--context NAME]</c>): where the API server is, which mesh's namespaces count, the
/// reflectors' timing, and who writes the Egress status.
/// </summary>
public sealed record KubernetesSourceOptions
{
    /// <summary>The client configuration: see <see cref="FromKubeconfig"/> (in-cluster in a pod, kubeconfig otherwise).</summary>
    public required KubernetesClientConfiguration Client { get; init; }

    /// <summary>Namespaces labelled <c>openservicemesh.io/monitored-by: &lt;MeshName&gt;</c> are in the mesh.</summary>
    public string MeshName { get; init; } = "mesh";

    /// <summary>List/watch timing (client-go's defaults).</summary>
    public ReflectorOptions Reflector { get; init; } = ReflectorOptions.Default;

    /// <summary>
    /// Write each Egress's <c>status</c> (conditions, last accepted spec). In a cluster, one controller of
    /// <see cref="StatusRole"/> does it (a cluster singleton); alone, this process does.
    /// </summary>
    public bool WriteStatus { get; init; } = true;

    /// <summary>The cluster role the status writer singleton runs on.</summary>
    public string StatusRole { get; init; } = "controller";

    /// <summary>How many status writes may be in flight at once.</summary>
    public int StatusWriteConcurrency { get; init; } = 4;

    /// <summary>First and longest wait before a failed status write is tried again (doubling in between).</summary>
    public TimeSpan StatusRetryMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan StatusRetryMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The configuration kubectl would use: in-cluster inside a pod (no path, no context), else the kubeconfig.</summary>
    /// <exception cref="KubernetesConfigurationException">No usable configuration, with the reason.</exception>
    public static KubernetesClientConfiguration FromKubeconfig(string? kubeconfigPath = null, string? context = null) =>
        KubernetesClientFactory.Configuration(new KubernetesConnectionOptions(kubeconfigPath, context));

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Client);
        ArgumentException.ThrowIfNullOrWhiteSpace(MeshName);
        ArgumentException.ThrowIfNullOrWhiteSpace(StatusRole);
        if (StatusWriteConcurrency < 1) throw new ArgumentException("StatusWriteConcurrency must be at least 1.");
        if (StatusRetryMin <= TimeSpan.Zero || StatusRetryMax < StatusRetryMin)
            throw new ArgumentException("Status retries need 0 < StatusRetryMin <= StatusRetryMax.");
    }
}
