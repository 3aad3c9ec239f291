using Mesh.Policy.Snapshots;

namespace Mesh.Proxy.Connections;

/// <summary>What a connection actor is told while it owns its connection.</summary>
internal abstract record ConnectionMessage
{
    private ConnectionMessage()
    {
    }

    /// <summary>A new snapshot was applied: re-decide the flow, and close it if it is no longer allowed.</summary>
    public sealed record SnapshotApplied(EgressSnapshot Snapshot) : ConnectionMessage;

    /// <summary>The node is stopping.</summary>
    public sealed record Stop : ConnectionMessage;
}
