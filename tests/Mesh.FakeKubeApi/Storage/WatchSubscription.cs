using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Mesh.FakeKubeApi.Storage;

/// <summary>One open watch: the events it will send, in order, already filtered and typed for it.</summary>
internal sealed class WatchSubscription : IDisposable
{
    private readonly Channel<(WatchEventType Type, JsonObject Object)> _events =
        Channel.CreateUnbounded<(WatchEventType, JsonObject)>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Action<WatchSubscription> _onDispose;

    public WatchSubscription(WatchFilter filter, bool bookmarks, Action<WatchSubscription> onDispose)
    {
        Filter = filter;
        Bookmarks = bookmarks;
        _onDispose = onDispose;
    }

    public WatchFilter Filter { get; }

    public bool Bookmarks { get; }

    public ChannelReader<(WatchEventType Type, JsonObject Object)> Events => _events.Reader;

    /// <summary>Called under the store's lock, in resourceVersion order.</summary>
    public void Offer(StoredEvent e)
    {
        if (Filter.View(e) is { } view) _events.Writer.TryWrite(view);
    }

    public void OfferRaw(WatchEventType type, JsonObject o) => _events.Writer.TryWrite((type, o));

    public void Dispose()
    {
        _events.Writer.TryComplete();
        _onDispose(this);
    }
}
