using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Observability;

/// <summary>The proxy's operator log lines (decisions go to <see cref="DecisionLog"/>).</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "connection to {Destination} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception error, IPEndPoint destination);

    [LoggerMessage(Level = LogLevel.Information, Message = "closing {Destination}: snapshot {Version} no longer allows it ({Reason})")]
    public static partial void Revoked(ILogger logger, IPEndPoint destination, string version, Mesh.Policy.Decisions.DecisionReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "applied snapshot {Version} for {Identity}: {Rules} rules, passthrough {Passthrough}, outbound listener open {Open}")]
    public static partial void SnapshotApplied(ILogger logger, string version, Mesh.Policy.Model.ServiceAccountIdentity identity, int rules, bool passthrough, bool open);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the snapshot source of {Identity} is gone; keeping snapshot {Version} in force")]
    public static partial void SourceGone(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "no controller has answered for {Identity} for three re-watch rounds; keeping snapshot {Version} in force and asking again")]
    public static partial void SourceSilent(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "kept snapshot {Identity}@{HeldVersion} (inputs {HeldOrder}) over {Version} (inputs {Order}), which does not supersede it")]
    public static partial void SnapshotIgnored(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string version,
        Mesh.Policy.Snapshots.SnapshotOrder order, string heldVersion, Mesh.Policy.Snapshots.SnapshotOrder heldOrder);

    [LoggerMessage(Level = LogLevel.Error, Message = "the controller cannot send snapshot {Identity}@{Version}: {Bytes} bytes, more than the {Limit} one remote message may carry; keeping snapshot {Held}")]
    public static partial void SnapshotTooLarge(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string version, long bytes, long limit, string held);

    [LoggerMessage(Level = LogLevel.Warning, Message = "snapshot issue for {Identity}: {Issue}")]
    public static partial void SnapshotIssue(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string issue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "accepted a connection with no original destination from {Remote}; closing it")]
    public static partial void NoOriginalDestination(ILogger logger, EndPoint? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot listen on {Endpoint}: {Reason}")]
    public static partial void ListenFailed(ILogger logger, EndPoint endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "accepting on {Endpoint} failed ({Error}); still listening")]
    public static partial void AcceptFailed(ILogger logger, EndPoint endpoint, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Endpoint} holds {Limit} connections (mesh.proxy.max-connections): accepting paused until one ends")]
    public static partial void AcceptPaused(ILogger logger, EndPoint endpoint, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity}: at most {Limit} connections at once (mesh.proxy.max-connections)")]
    public static partial void ConnectionLimit(ILogger logger, string identity, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Endpoint} accepting again")]
    public static partial void AcceptResumed(ILogger logger, EndPoint endpoint);
}
