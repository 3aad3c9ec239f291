using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;

namespace Mesh.Cluster.Client;

/// <summary>
/// Akka configuration a proxy node's actor system needs under Mesh's own: Akka.Cluster.Tools' defaults for the cluster
/// client and pub/sub, which declare the serializers of their messages. A cluster member gets them when it starts those
/// extensions; a proxy is a remote-only system that starts neither, and without them every message its cluster client
/// sends (each <see cref="Protocol.WatchSnapshots"/> inside a pub/sub <c>SendToAll</c>, the receptionist heartbeats and
/// contact requests) went out in Akka's default JSON serializer and was read back that way by every controller (found
/// in a profile of bench/cluster's controllers: Newtonsoft.Json under the remote dispatcher). Give it as the fallback,
/// below Mesh's configuration (<c>mesh proxy</c> does, through the host).
/// </summary>
public static class ClientSystemDefaults
{
    public static Config Config { get; } = ClusterClientReceptionist.DefaultConfig().WithFallback(DistributedPubSub.DefaultConfig());
}
