using Akka.Actor;

namespace Mesh.Proxy.Node;

/// <summary>
/// A proxy node's root (<c>/user/proxy</c>): one child <see cref="IdentityActor"/> per identity served (a sidecar
/// serves one; a node-level proxy would serve every pod's). Supervision: a failed identity actor is resumed, keeping its
/// snapshot, listener and connections (a restart would drop them all); one that fails while starting is stopped.
/// </summary>
internal sealed class ProxyNodeActor : ReceiveActor
{
    public const string Name = "proxy";

    public ProxyNodeActor()
    {
        Receive<ServeIdentity>(m =>
        {
            // An identity is served once per node: a second actor would bind the same outbound port, and the caller's
            // context (its view, metrics and transport) would not be the one the existing actor updates.
            var child = Context.Child(m.Name);
            var created = child.IsNobody();
            if (created) child = Context.ActorOf(m.Props, m.Name);
            Sender.Tell(new IdentityServed(child, created));
        });
    }

    public static Props Props() => Akka.Actor.Props.Create<ProxyNodeActor>();

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(static e => e is ActorInitializationException ? Directive.Stop : Directive.Resume);
}

/// <summary>Start serving an identity (if not served yet) under this name; answered with <see cref="IdentityServed"/>.</summary>
internal sealed record ServeIdentity(string Name, Props Props);

/// <summary>The identity actor serving it, and whether this request made it (false: it was served already).</summary>
internal sealed record IdentityServed(IActorRef IdentityActor, bool Created);
