using Akka.Actor;

namespace Mesh.Control.Publishing;

/// <summary>
/// One copy per change: whether a controller's snapshot server pushes a watcher the changes of the identities it
/// watches. Every server knows every watcher (a proxy sends each watch to all controllers), but only the controller the
/// watcher prefers pushes it, unless that controller may not know the watcher: it is not up and reachable, or it came
/// up after the watcher's last watch (a restarted controller knows nothing until its watchers watch again, however long
/// their re-watch interval). Pure: the server keeps the facts, this decides.
/// </summary>
internal static class PushRule
{
    /// <summary>
    /// How long after a controller comes up a watch sent to all controllers may still miss it: the receptionists
    /// learn of its snapshot server through the cluster's pub/sub gossip (every second by default).
    /// </summary>
    internal static readonly TimeSpan WatchReach = TimeSpan.FromSeconds(5);

    /// <param name="self">This controller.</param>
    /// <param name="preferred">The controller the watcher prefers (null: any).</param>
    /// <param name="watchedAt">When this server last had a watch from the watcher.</param>
    /// <param name="upSince">Up and reachable controllers, and since when this server has known them so.</param>
    public static bool Pushes(Address self, Address? preferred, DateTimeOffset watchedAt, IReadOnlyDictionary<Address, DateTimeOffset> upSince)
    {
        if (preferred is null || preferred.Equals(self)) return true;
        if (!upSince.TryGetValue(preferred, out var up)) return true; // gone, unreachable or not yet up: take over
        return watchedAt < up + WatchReach; // the watcher has not told it since it came up
    }
}
