using k8s;
using k8s.Exceptions;

namespace Mesh.Kubernetes.Client;

/// <summary>Builds the client configuration: in-cluster inside a pod, kubeconfig (and context) otherwise.</summary>
public static class KubernetesClientFactory
{
    /// <summary>
    /// An explicit kubeconfig or context wins; otherwise in-cluster when the service account and
    /// <c>KUBERNETES_SERVICE_HOST</c> are there, otherwise the default kubeconfig.
    /// </summary>
    /// <exception cref="KubernetesConfigurationException">No usable configuration, with the reason.</exception>
    public static KubernetesClientConfiguration Configuration(KubernetesConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            if (options.KubeconfigPath is null && options.Context is null && KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
            if (options.KubeconfigPath is { } path && !File.Exists(path))
            {
                throw new KubernetesConfigurationException($"kubeconfig {path} does not exist");
            }
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath, options.Context);
        }
        catch (KubeConfigException e)
        {
            var source = options.KubeconfigPath ?? "the default kubeconfig (KUBECONFIG or ~/.kube/config)";
            var context = options.Context is null ? "" : $", context {options.Context}";
            throw new KubernetesConfigurationException($"cannot use {source}{context}: {e.Message}", e);
        }
    }

    /// <summary>A client for <see cref="Configuration"/>; the caller disposes it.</summary>
    public static IKubernetes Create(KubernetesConnectionOptions options) => new k8s.Kubernetes(Configuration(options));

    /// <summary>Describes where a configuration points, for startup logs (no credentials).</summary>
    public static string Describe(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var context = configuration.CurrentContext is { } c ? $" (context {c})" : "";
        return $"{configuration.Host}{context}";
    }
}
