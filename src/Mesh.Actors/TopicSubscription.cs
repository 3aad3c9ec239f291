using System.Threading.Channels;

namespace Mesh.Actors;

/// <summary>
/// One subscriber's view of a topic: <see cref="Reader"/> yields the retained value at once (if any), then
/// every later value, skipping intermediate ones when the subscriber is slower than the publisher.
/// </summary>
public sealed class TopicSubscription<TKey, TValue> : IDisposable
    where TKey : notnull
{
    // Capacity 1 with DropOldest: the slot always holds the newest undelivered value and a write never waits.
    private readonly Channel<Versioned<TValue>> _slot = Channel.CreateBounded<Versioned<TValue>>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = false, SingleReader = false });

    private readonly Action<TopicSubscription<TKey, TValue>>? _unsubscribe;

    internal TopicSubscription(TKey key, Action<TopicSubscription<TKey, TValue>>? unsubscribe)
    {
        Key = key;
        _unsubscribe = unsubscribe;
        if (unsubscribe is null)
            _slot.Writer.TryComplete(); // the hub was already completed: an ended subscription
    }

    public TKey Key { get; }

    /// <summary>Completes when the subscription is disposed, its key removed, or the hub completed.</summary>
    public ChannelReader<Versioned<TValue>> Reader => _slot.Reader;

    /// <summary>Unsubscribes; the reader completes at once, dropping any value not yet read.</summary>
    public void Dispose()
    {
        _unsubscribe?.Invoke(this);
        End();
    }

    internal void Offer(Versioned<TValue> value) => _slot.Writer.TryWrite(value);

    /// <summary>Ends the reader after it has yielded what it holds (used when the key or the hub ends).</summary>
    internal void Complete() => _slot.Writer.TryComplete();

    private void End()
    {
        _slot.Writer.TryComplete();
        while (_slot.Reader.TryRead(out _))
        {
            // Drained so Reader.Completion finishes now rather than after somebody reads the stale value.
        }
    }
}
