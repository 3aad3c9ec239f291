using Microsoft.Extensions.Logging;

namespace Mesh.Control;

/// <summary>Everything the control plane logs, as source-generated messages.</summary>
internal static partial class ControlLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Rejected: {Rejection}")]
    public static partial void Rejected(ILogger logger, string rejection);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Could not read {File}; will try again: {Reason}")]
    public static partial void ReadFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "File system watch on {Directory} failed; rescanning everything: {Reason}")]
    public static partial void WatchFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Manifest directory {Directory} is missing; keeping the objects in force")]
    public static partial void DirectoryMissing(ILogger logger, string directory);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Applied {Count} change(s) from {Directory}")]
    public static partial void ChangesFound(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "Published snapshot {Identity}@{Version}")]
    public static partial void Published(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string version);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Resynchronised {Source} with {Count} object(s) in force; {Changes} change(s)")]
    public static partial void Resynced(ILogger logger, string source, int count, int changes);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "{Source} has been read; nothing is published until these have too: {Awaiting}")]
    public static partial void AwaitingSources(ILogger logger, string source, IEnumerable<string> awaiting);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "Delivered snapshot {Identity}@{Version} to {Pushed} of {Watchers} watcher(s); other controllers push the rest")]
    public static partial void Delivered(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string version, int pushed, int watchers);

    [LoggerMessage(EventId = 124, Level = LogLevel.Information, Message = "Controller {Address} is unreachable or gone: this one pushes the {Watchers} watcher(s) that preferred it, starting with the latest snapshots")]
    public static partial void TookOver(ILogger logger, Akka.Actor.Address address, int watchers);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "Kept snapshot {Identity}@{HeldVersion} (inputs {HeldOrder}) over {Version} (inputs {Order}), which does not supersede it")]
    public static partial void SnapshotIgnored(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string version,
        Mesh.Policy.Snapshots.SnapshotOrder order, string heldVersion, Mesh.Policy.Snapshots.SnapshotOrder heldOrder);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "Snapshot {Identity}@{Version} is {Bytes} bytes, more than the {Limit} one remote message may carry (akka.remote.dot-netty.tcp.maximum-frame-size): its proxies keep the snapshot they have")]
    public static partial void SnapshotTooLarge(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string version, long bytes, long limit);

    [LoggerMessage(EventId = 108, Level = LogLevel.Critical, Message = "The control plane gave up: {Actor} failed more than {MaxRestarts} times within {Window}; proxies keep enforcing the snapshots they hold")]
    public static partial void GaveUp(ILogger logger, string actor, int maxRestarts, TimeSpan window);

    [LoggerMessage(EventId = 120, Message = "{Source}: {Message}")]
    public static partial void SourceFailed(ILogger logger, LogLevel level, string source, string message);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "{Resource}: resourceVersion '{Version}' is not an integer (etcd's revision): snapshots are ordered by the clock from now on, which orders a replica's own snapshots but not those of different replicas")]
    public static partial void OpaqueResourceVersion(ILogger logger, string resource, string version);

    [LoggerMessage(EventId = 122, Level = LogLevel.Information, Message = "Namespaces enrolled in mesh {Mesh}: {Count}; added {Added}; removed {Removed}")]
    public static partial void EnrollmentChanged(ILogger logger, string mesh, int count, IEnumerable<string> added, IEnumerable<string> removed);

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "{Source} listed: {Count} object(s) in force")]
    public static partial void SourceListed(ILogger logger, string source, int count);

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Egress status writer started: it writes once every watched kind has been listed")]
    public static partial void StatusWriterStarted(ILogger logger);

    [LoggerMessage(EventId = 131, Level = LogLevel.Debug, Message = "Status of {Resource} {Key}: {Outcome} ({Wanted})")]
    public static partial void StatusWritten(ILogger logger, string resource, Mesh.Kubernetes.Objects.ObjectKey key, string outcome, Mesh.Kubernetes.Status.WantedStatus wanted);

    [LoggerMessage(EventId = 132, Message = "Could not write the status of {Resource} {Key}; retrying in {Delay}: {Reason}")]
    public static partial void StatusWriteFailed(ILogger logger, LogLevel level, string resource, Mesh.Kubernetes.Objects.ObjectKey key, TimeSpan delay, string reason);
}
