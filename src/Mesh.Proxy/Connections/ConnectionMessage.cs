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
    public sealed record Stop : ConnectionMessage
    {
        public static Stop Instance { get; } = new();
    }

    /// <summary>No byte moved either way for the idle timeout: close the connection.</summary>
    public sealed record IdleTimeout : ConnectionMessage
    {
        public static IdleTimeout Instance { get; } = new();
    }
}
