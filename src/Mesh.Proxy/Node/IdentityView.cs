using System.Net;
using Mesh.Policy.Snapshots;

namespace Mesh.Proxy.Node;

/// <summary>
/// What an identity actor shows outside itself (admin endpoint, tests), replaced as a whole at the end of each change,
/// so a reader never sees half of one: e.g. a snapshot whose listener is not open yet.
/// </summary>
/// <param name="SourceReachable">Whether a controller (the snapshot source) answered within three re-watch rounds.</param>
public sealed record IdentityView(
    EgressSnapshot? Snapshot,
    SnapshotOrder Order,
    DateTimeOffset? SnapshotAppliedAt,
    bool AcceptingOutbound,
    IReadOnlyList<IPEndPoint> OutboundEndpoints,
    IPEndPoint? ForwardProxyEndpoint,
    bool SourceReachable,
    DateTimeOffset? LastHeardFromSource)
{
    public static IdentityView Starting { get; } = new(null, SnapshotOrder.None, null, false, [], null, true, null);
}
