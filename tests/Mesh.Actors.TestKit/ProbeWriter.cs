using System.Threading.Channels;

namespace Mesh.Actors.TestKit;

/// <summary>The writer side of a probe: records every message at the moment it arrives, then queues it.</summary>
internal sealed class ProbeWriter<T>(ChannelWriter<T> inbox, Action<T> record) : ChannelWriter<T>
{
    public override bool TryWrite(T item)
    {
        record(item);
        return inbox.TryWrite(item);
    }

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
        inbox.WaitToWriteAsync(cancellationToken);

    public override bool TryComplete(Exception? error = null) => inbox.TryComplete(error);
}
