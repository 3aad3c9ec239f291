using System.Text.Json.Nodes;

namespace Mesh.FakeKubeApi.Storage;

public sealed partial class ObjectStore
{
    /// <summary>
    /// Opens a watch. From a resourceVersion N (not "0"): every event after N, then live ones; 410 Expired when N is
    /// older than the compaction point. Without one, or "0": an ADDED event per matching object now, then live ones.
    /// Replay and registration happen under one lock, so no event is lost or sent twice between them.
    /// </summary>
    internal WatchSubscription Subscribe(WatchFilter filter, string? fromVersion, bool bookmarks)
    {
        lock (_gate)
        {
            var subscription = new WatchSubscription(filter, bookmarks, Unsubscribe);
            if (string.IsNullOrEmpty(fromVersion) || fromVersion == "0")
            {
                foreach (var o in Table(filter.GroupResource).Values.Where(filter.Matches))
                {
                    subscription.OfferRaw(WatchEventType.Added, o);
                }
            }
            else
            {
                if (!long.TryParse(fromVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiException.BadRequest($"invalid resource version \"{fromVersion}\"");
                }
                if (from < _compacted)
                {
                    throw ApiException.Expired($"too old resource version: {from} ({_compacted})");
                }
                foreach (var e in _history)
                {
                    if (e.ResourceVersion > from) subscription.Offer(e);
                }
            }
            _watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Sends a BOOKMARK with the current resourceVersion to every watch that allows them.</summary>
    public void Bookmark()
    {
        lock (_gate)
        {
            foreach (var w in _watchers.Where(w => w.Bookmarks))
            {
                var type = _types.ByGroupResource(w.Filter.GroupResource);
                var bookmark = new JsonObject
                {
                    ["kind"] = type?.Kind,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = Text(_resourceVersion) },
                };
                w.OfferRaw(WatchEventType.Bookmark, bookmark);
            }
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate) _watchers.Remove(subscription);
    }
}
