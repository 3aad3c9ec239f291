using Akka.Actor;

namespace Mesh.Control.Sources;

/// <summary>What a source reports to: the aggregator (changes, resyncs) and the control plane (validation verdicts).</summary>
internal sealed record SourceContext(IActorRef Aggregator, IActorRef ControlPlane);

/// <summary>
/// One source of resources (a directory watcher; one reflector per kind on Kubernetes): the name of its actor under
/// the aggregator, and its props, which wrap it in its own supervisor (backoff on failure).
/// </summary>
internal sealed record SourceDefinition(string Name, Func<SourceContext, Props> Props);
