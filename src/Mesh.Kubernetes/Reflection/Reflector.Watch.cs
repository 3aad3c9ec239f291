using k8s;

namespace Mesh.Kubernetes.Reflection;

public sealed partial class Reflector
{
    /// <summary>
    /// One watch from <paramref name="resourceVersion"/>: reports each event through the cache and advances the
    /// version to resume from (bookmarks included). Returns when the server closes the stream or the reflector's
    /// own deadline passes; throws on failures, including a stall.
    /// </summary>
    private async Task WatchOnceAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var timeout = WatchTimeout();
        using var watchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stall = new StallWatchdog(_time, _options.EffectiveStallTimeout, watchCancellation);
        var deadlinePassed = false;
        using var deadline = _time.CreateTimer(_ =>
        {
            Volatile.Write(ref deadlinePassed, true);
            CancelQuietly(watchCancellation);
        }, null, timeout + _options.WatchTimeoutGrace, Timeout.InfiniteTimeSpan);

        _metrics.Watches.WithLabels(_label).Inc();
        var started = _time.GetTimestamp();
        var events = 0;
        try
        {
            await foreach (var e in _client.WatchAsync(resourceVersion, (int)timeout.TotalSeconds, watchCancellation.Token)
                .WithCancellation(watchCancellation.Token).ConfigureAwait(false))
            {
                stall.Feed();
                events++;
                Apply(e.Type, e.Item);
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested && stall.Fired)
        {
            _metrics.WatchEnds.WithLabels(_label, "stalled").Inc();
            throw new WatchStalledException(
                $"no event and no close for {_options.EffectiveStallTimeout.TotalSeconds:0.#} s (stalled stream), last resourceVersion {_resourceVersion}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && Volatile.Read(ref deadlinePassed))
        {
            // The server did not close the watch at the timeout it was asked for; Mesh closed it. Resume.
            _metrics.WatchEnds.WithLabels(_label, "timeout").Inc();
            _shortWatchesInARow = 0;
            return;
        }

        _metrics.WatchEnds.WithLabels(_label, "closed").Inc();
        if (events == 0 && _time.GetElapsedTime(started) < _options.ShortWatch)
        {
            // A watch that closes at once with nothing, again and again, would spin: after a few, back off.
            if (++_shortWatchesInARow >= _options.ShortWatchesBeforeBackoff)
            {
                _shortWatchesInARow = 0;
                throw new ShortWatchException($"{_options.ShortWatchesBeforeBackoff} watches in a row closed at once with no event");
            }
        }
        else
        {
            _shortWatchesInARow = 0;
        }
    }

    private void Apply(WatchEventType type, Objects.KubeObject item)
    {
        _metrics.WatchEvents.WithLabels(_label, TypeLabel(type)).Inc();
        ObjectChange? change = null;
        switch (type)
        {
            case WatchEventType.Bookmark:
                break;
            case WatchEventType.Added or WatchEventType.Modified:
                change = _cache.Upsert(item);
                if (change is null) _metrics.DuplicatesSuppressed.WithLabels(_label).Inc();
                break;
            case WatchEventType.Deleted:
                change = _cache.Delete(item);
                if (change is null) _metrics.DuplicatesSuppressed.WithLabels(_label).Inc();
                break;
            default:
                // ERROR events never get here (the client turns them into exceptions); anything else is ignored.
                return;
        }
        if (!string.IsNullOrEmpty(item.ResourceVersion)) _resourceVersion = item.ResourceVersion;
        MadeProgress();
        if (change is not null)
        {
            _metrics.Objects.WithLabels(_label).Set(_cache.Count);
            Report(() => _sink.Changed(new ReflectorChanged(Resource, change)));
        }
    }

    /// <summary>A whole number of seconds in [min, max], uniformly: spreads the reconnects of many reflectors.</summary>
    private TimeSpan WatchTimeout()
    {
        var min = (int)Math.Ceiling(_options.WatchTimeoutMin.TotalSeconds);
        var max = Math.Max(min, (int)Math.Floor(_options.WatchTimeoutMax.TotalSeconds));
        return TimeSpan.FromSeconds(_random.Next(min, max + 1));
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The watch already ended.
        }
    }

    private static string TypeLabel(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };
}
