using Akka.Actor;
using Mesh.Proxy.Transport;

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
            var child = Context.Child(m.Name);
            if (child.IsNobody())
            {
                // With the epoll transport, the identity actor and its connection actors run on its loops.
                var props = m.Transport is { } transport
                    ? m.Props.WithDispatcher(EpollDispatcherConfigurator.Register(Context.System, transport))
                    : m.Props;
                child = Context.ActorOf(props, m.Name);
            }
            Sender.Tell(new IdentityServed(child));
        });
    }

    public static Props Props() => Akka.Actor.Props.Create<ProxyNodeActor>();

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(static e => e is ActorInitializationException ? Directive.Stop : Directive.Resume);
}

/// <summary>
/// Start serving an identity (if not served yet) under this name, on <paramref name="Transport"/>'s loops when there is
/// one; answered with <see cref="IdentityServed"/>.
/// </summary>
internal sealed record ServeIdentity(string Name, Props Props, EpollTransport? Transport = null);

/// <summary>The identity actor serving it.</summary>
internal sealed record IdentityServed(IActorRef IdentityActor);
