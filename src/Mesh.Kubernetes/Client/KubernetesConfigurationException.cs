namespace Mesh.Kubernetes.Client;

/// <summary>The API server cannot be reached with the configuration given: the message says which and why.</summary>
public sealed class KubernetesConfigurationException : Exception
{
    public KubernetesConfigurationException()
    {
    }

    public KubernetesConfigurationException(string message)
        : base(message)
    {
    }

    public KubernetesConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
