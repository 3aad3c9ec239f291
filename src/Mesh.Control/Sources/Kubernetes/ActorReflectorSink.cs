using Akka.Actor;
using Mesh.Kubernetes.Reflection;

namespace Mesh.Control.Sources.Kubernetes;

/// <summary>
/// A reflector's sink that tells each report to an actor (the reports are immutable records). Once the actor's
/// incarnation has stopped its reflectors, late reports are dropped here rather than sent to a dead actor.
/// </summary>
internal sealed class ActorReflectorSink(IActorRef actor, CancellationToken stopped) : IReflectorSink
{
    public void Synced(ReflectorSynced synced) => Tell(synced);

    public void Changed(ReflectorChanged changed) => Tell(changed);

    public void Failed(ReflectorFailed failed) => Tell(failed);

    private void Tell(object report)
    {
        if (!stopped.IsCancellationRequested) actor.Tell(report);
    }
}
