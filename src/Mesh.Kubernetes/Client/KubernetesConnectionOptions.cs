namespace Mesh.Kubernetes.Client;

/// <summary>
/// How to reach the API server: <c>--kubeconfig PATH</c> and <c>--context NAME</c> as kubectl takes them. With no
/// path, a process inside a pod uses its service account (in-cluster), any other the <c>KUBECONFIG</c> variable or
/// <c>~/.kube/config</c>.
/// </summary>
public sealed record KubernetesConnectionOptions(string? KubeconfigPath = null, string? Context = null);
