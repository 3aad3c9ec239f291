namespace Mesh.Kubernetes.Reflection;

/// <summary>The sink threw: a bug in the caller, not an API failure, so the reflector stops and surfaces it.</summary>
public sealed class ReflectorSinkException : Exception
{
    public ReflectorSinkException()
    {
    }

    public ReflectorSinkException(string message)
        : base(message)
    {
    }

    public ReflectorSinkException(Exception innerException)
        : base($"the reflector's sink threw: {innerException?.Message}", innerException)
    {
    }

    public ReflectorSinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
