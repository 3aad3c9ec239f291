namespace Mesh.Kubernetes.Status;

/// <summary>
/// A condition Mesh wants on an object (a <c>metav1.Condition</c> without its transition time, which the writer keeps
/// or sets): <c>Accepted</c> (valid and in force) or <c>ResolvedRefs</c> (the HTTPRouteGroups it names exist).
/// </summary>
public sealed record StatusCondition(string Type, bool Status, string Reason, string Message, long ObservedGeneration)
{
    /// <summary>The API's limit on a condition message; longer ones are cut.</summary>
    internal const int MaxMessageLength = 32768;

    public string StatusText => Status ? "True" : "False";
}
