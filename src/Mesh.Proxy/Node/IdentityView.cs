using System.Net;
using Mesh.Policy.Snapshots;

namespace Mesh.Proxy.Node;

/// <summary>
/// What an identity actor shows outside itself (admin endpoint, tests), replaced as a whole at the end of each change,
/// so a reader never sees half of one: e.g. a snapshot whose listener is not open yet.
/// </summary>
public sealed record IdentityView(
    EgressSnapshot? Snapshot,
    DateTimeOffset? SnapshotAppliedAt,
    bool AcceptingOutbound,
    IReadOnlyList<IPEndPoint> OutboundEndpoints,
    IPEndPoint? ForwardProxyEndpoint,
    bool SourceReachable)
{
    public static IdentityView Starting { get; } = new(null, null, false, [], null, true);
}
