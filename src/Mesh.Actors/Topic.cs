namespace Mesh.Actors;

/// <summary>
/// One key of a <see cref="LatestValueTopics{TKey, TValue}"/>: the retained value and its subscribers.
/// A short lock orders publications and subscriptions, so every subscriber sees values in version order
/// and a new subscriber cannot miss the value published while it joined. Nothing under it waits.
/// </summary>
internal sealed class Topic<TKey, TValue>
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly List<TopicSubscription<TKey, TValue>> _subscribers = [];
    private Versioned<TValue>? _latest;
    private bool _closed;

    public Topic(TKey key) => Key = key;

    public TKey Key { get; }

    public int SubscriberCount
    {
        get
        {
            lock (_lock)
                return _subscribers.Count;
        }
    }

    public Versioned<TValue>? Latest
    {
        get
        {
            lock (_lock)
                return _latest;
        }
    }

    /// <summary>False when the topic was closed meanwhile; the caller retries on a fresh topic.</summary>
    public bool TryPublish(TValue value, Func<long> nextVersion)
    {
        lock (_lock)
        {
            if (_closed)
                return false;
            var latest = new Versioned<TValue>(nextVersion(), value);
            _latest = latest;
            foreach (var subscriber in _subscribers)
                subscriber.Offer(latest);
            return true;
        }
    }

    public bool TrySubscribe(TopicSubscription<TKey, TValue> subscriber)
    {
        lock (_lock)
        {
            if (_closed)
                return false;
            _subscribers.Add(subscriber);
            if (_latest is { } latest)
                subscriber.Offer(latest);
            return true;
        }
    }

    /// <summary>Removes the subscriber; returns true when that closed the topic because it was left empty and valueless.</summary>
    public bool UnsubscribeAndCloseIfUnused(TopicSubscription<TKey, TValue> subscriber)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscriber);
            if (_closed || _subscribers.Count > 0 || _latest is not null)
                return false;
            _closed = true;
            return true;
        }
    }

    /// <summary>Ends every subscriber's reader (after what it holds) and refuses further use.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var subscriber in _subscribers)
                subscriber.Complete();
            _subscribers.Clear();
        }
    }
}
