namespace Mesh.Kubernetes.Reading;

/// <summary>Reading the API server failed; the message says what was read, and for 401/403 what to fix.</summary>
public sealed class KubernetesReadException : Exception
{
    public KubernetesReadException()
    {
    }

    public KubernetesReadException(string message)
        : base(message)
    {
    }

    public KubernetesReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
