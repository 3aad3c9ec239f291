using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Mesh.Actors;
using Mesh.Policy.Snapshots;

namespace Mesh.Control.Snapshots;

/// <summary>A topic reader seen without versions: the proxy wants snapshots, the hub's versions are its own business.</summary>
internal sealed class SnapshotReader(ChannelReader<Versioned<EgressSnapshot>> inner) : ChannelReader<EgressSnapshot>
{
    public override Task Completion => inner.Completion;

    public override bool TryRead([MaybeNullWhen(false)] out EgressSnapshot item)
    {
        if (inner.TryRead(out var versioned))
        {
            item = versioned.Value;
            return true;
        }
        item = null;
        return false;
    }

    public override bool TryPeek([MaybeNullWhen(false)] out EgressSnapshot item)
    {
        if (inner.TryPeek(out var versioned))
        {
            item = versioned.Value;
            return true;
        }
        item = null;
        return false;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        inner.WaitToReadAsync(cancellationToken);
}
