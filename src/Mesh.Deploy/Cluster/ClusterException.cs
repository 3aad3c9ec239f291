namespace Mesh.Deploy.Cluster;

/// <summary>
/// An operation on the cluster failed for good: the message says what was done to which object, what the server
/// answered and, where it can, what to fix. The commands print it and exit non-zero.
/// </summary>
internal sealed class ClusterException : Exception
{
    public ClusterException()
    {
    }

    public ClusterException(string message)
        : base(message)
    {
    }

    public ClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
