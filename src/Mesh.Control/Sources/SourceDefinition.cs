using Akka.Actor;
using Mesh.Policy.Model;

namespace Mesh.Control.Sources;

/// <summary>What a source reports to: the aggregator (changes, resyncs) and the control plane (validation verdicts, health).</summary>
internal sealed record SourceContext(IActorRef Aggregator, IActorRef ControlPlane);

/// <summary>
/// One source of resources (a directory watcher; one watcher per kind on Kubernetes): the name of its actor under
/// the aggregator, its props, which wrap it in its own supervisor (backoff on failure), the kinds of objects it owns
/// (a <see cref="Mesh.Control.Aggregation.Resync"/> from it reconciles exactly those), and whether it reports the
/// enrolled namespaces.
/// </summary>
internal sealed record SourceDefinition(string Name, Func<SourceContext, Props> Props, IReadOnlySet<ResourceKind> Kinds, bool Enrollment = false)
{
    /// <summary>Every kind: a directory holds them all.</summary>
    public static IReadOnlySet<ResourceKind> AllKinds { get; } = new HashSet<ResourceKind>(Enum.GetValues<ResourceKind>());
}
