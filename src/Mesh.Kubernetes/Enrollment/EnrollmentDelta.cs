using System.Collections.Immutable;
using Mesh.Policy.State;

namespace Mesh.Kubernetes.Enrollment;

/// <summary>The enrolled set changed: the whole new set, and which namespaces came and went.</summary>
public sealed record EnrollmentDelta(ImmutableHashSet<string> Enrolled, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    /// <summary>The message for the policy aggregator, which withdraws Egress of namespaces that left.</summary>
    public ResourceChange.EnrollmentChanged ToChange() => new(Enrolled);
}
