using Mesh.Kubernetes.Conversion;

namespace Mesh.Kubernetes.Status;

/// <summary>The <c>Accepted</c> condition Mesh wants on an object: valid and in force, or why not.</summary>
public sealed record AcceptedCondition(bool Accepted, string Reason, string Message, long ObservedGeneration)
{
    public const string Type = "Accepted";

    public static AcceptedCondition From(ObjectVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new(verdict.Accepted, verdict.Reason, verdict.Message, verdict.Generation);
    }

    public string Status => Accepted ? "True" : "False";

    public StatusCondition ToCondition() => new(Type, Accepted, Reason, Message, ObservedGeneration);
}
