namespace Mesh.Kubernetes.Access;

/// <summary>The API server serves none of the versions Mesh can read of a resource (its CRD is not installed).</summary>
public sealed class ResourceNotServedException : Exception
{
    public ResourceNotServedException()
    {
    }

    public ResourceNotServedException(string message)
        : base(message)
    {
    }

    public ResourceNotServedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
