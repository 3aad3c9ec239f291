using Mesh.Kubernetes.Conversion;

namespace Mesh.Kubernetes.Status;

/// <summary>
/// The <c>Accepted</c> condition Mesh wants on an object (a <c>metav1.Condition</c> without its transition time,
/// which the writer keeps or sets).
/// </summary>
public sealed record AcceptedCondition(bool Accepted, string Reason, string Message, long ObservedGeneration)
{
    public const string Type = "Accepted";

    /// <summary>The API's limit on a condition message; longer ones are cut.</summary>
    internal const int MaxMessageLength = 32768;

    public static AcceptedCondition From(ObjectVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new(verdict.Accepted, verdict.Reason, verdict.Message, verdict.Generation);
    }

    public string Status => Accepted ? "True" : "False";
}
