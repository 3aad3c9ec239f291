using System.Collections.Concurrent;

namespace Mesh.Actors;

/// <summary>
/// Per-key topics that retain their latest value (e.g. one policy snapshot per identity). Publishing never
/// waits for subscribers; a slow subscriber skips intermediate values and still ends on the newest one.
/// Transport-neutral: values carry hub-wide versions a remote reader can resume from.
/// </summary>
public sealed class LatestValueTopics<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Topic<TKey, TValue>> _topics;
    private readonly Func<long> _nextVersion;
    private long _version;
    private volatile bool _completed;

    public LatestValueTopics(IEqualityComparer<TKey>? comparer = null)
    {
        _topics = new ConcurrentDictionary<TKey, Topic<TKey, TValue>>(comparer);
        _nextVersion = () => Interlocked.Increment(ref _version);
    }

    /// <summary>Keys that currently have a topic (a retained value or subscribers); a snapshot, for metrics.</summary>
    public IReadOnlyCollection<TKey> Keys => [.. _topics.Keys];

    /// <summary>Retains <paramref name="value"/> as the key's latest and offers it to every subscriber. False once the hub is completed.</summary>
    public bool Publish(TKey key, TValue value)
    {
        while (!_completed)
        {
            var topic = _topics.GetOrAdd(key, static k => new Topic<TKey, TValue>(k));
            if (topic.TryPublish(value, _nextVersion))
            {
                CloseIfCompletedMeanwhile(topic);
                return true;
            }

            ForgetClosed(topic); // closed while we held it; the loop publishes to its successor
        }

        return false;
    }

    /// <summary>Subscribes to a key (published yet or not). After <see cref="Complete"/> the subscription is already ended.</summary>
    public TopicSubscription<TKey, TValue> Subscribe(TKey key)
    {
        while (!_completed)
        {
            var topic = _topics.GetOrAdd(key, static k => new Topic<TKey, TValue>(k));
            var subscription = new TopicSubscription<TKey, TValue>(key, s => Unsubscribe(topic, s));
            if (topic.TrySubscribe(subscription))
            {
                CloseIfCompletedMeanwhile(topic);
                return subscription;
            }

            ForgetClosed(topic);
        }

        return new TopicSubscription<TKey, TValue>(key, unsubscribe: null);
    }

    public bool TryGetLatest(TKey key, out Versioned<TValue> latest)
    {
        if (_topics.TryGetValue(key, out var topic) && topic.Latest is { } value)
        {
            latest = value;
            return true;
        }

        latest = default;
        return false;
    }

    /// <summary>Subscribers of the key right now (for metrics).</summary>
    public int SubscriberCount(TKey key) => _topics.TryGetValue(key, out var topic) ? topic.SubscriberCount : 0;

    /// <summary>The first value of the key whose version is above <paramref name="afterVersion"/>, as soon as there is one.</summary>
    public async Task<Versioned<TValue>> WaitForNewerAsync(TKey key, long afterVersion, CancellationToken cancellationToken = default)
    {
        using var subscription = Subscribe(key);
        await foreach (var value in subscription.Reader.ReadAllAsync(cancellationToken))
        {
            if (value.Version > afterVersion)
                return value;
        }

        throw new InvalidOperationException($"Topic '{key}' ended before a version newer than {afterVersion}.");
    }

    /// <summary>
    /// Forgets the key's retained value and ends its subscribers (each reader yields what it holds, then completes).
    /// A later Publish or Subscribe starts the key afresh.
    /// </summary>
    public bool Remove(TKey key)
    {
        if (!_topics.TryRemove(key, out var topic))
            return false;
        topic.Close();
        return true;
    }

    /// <summary>Ends every subscription; later publications are refused and later subscriptions come back ended.</summary>
    public void Complete()
    {
        _completed = true;
        foreach (var key in _topics.Keys)
            Remove(key);
    }

    private void Unsubscribe(Topic<TKey, TValue> topic, TopicSubscription<TKey, TValue> subscription)
    {
        // An unused, valueless topic would otherwise leak one entry per key ever subscribed to.
        if (topic.UnsubscribeAndCloseIfUnused(subscription))
            ForgetClosed(topic);
    }

    private void CloseIfCompletedMeanwhile(Topic<TKey, TValue> topic)
    {
        // Complete() may have swept the dictionary before this topic got in; make sure it does not linger open.
        if (!_completed)
            return;
        ForgetClosed(topic);
        topic.Close();
    }

    // Removes exactly this topic instance, never a successor another thread already added under the same key.
    private void ForgetClosed(Topic<TKey, TValue> topic) =>
        _topics.TryRemove(new KeyValuePair<TKey, Topic<TKey, TValue>>(topic.Key, topic));
}
