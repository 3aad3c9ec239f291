namespace Mesh.Proxy.Node;

// The identity actor's protocol. From its source: Mesh.Cluster.Protocol.SnapshotPublished. From its listeners:
// Connections.OwnConnection (handed on to a new connection actor). From its timers: Rewatch, SweepIdle.

/// <summary>Time to tell the source again which identity this actor serves and which version it holds.</summary>
internal sealed record Rewatch
{
    public static Rewatch Instance { get; } = new();

    private Rewatch()
    {
    }
}

/// <summary>Time for the idle sweep: every connection actor checks whether it has been quiet for the idle timeout.</summary>
internal sealed record SweepIdle
{
    public static SweepIdle Instance { get; } = new();

    private SweepIdle()
    {
    }
}
