using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Hosting;

/// <summary>What the long-running commands say about themselves on stderr.</summary>
internal static partial class RunLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "serving {Identity} from {Manifests}; outbound :{OutboundPort}, admin http://{Admin}/")]
    public static partial void Serving(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, string manifests, int outboundPort, System.Net.IPEndPoint admin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rejected: {Rejection}")]
    public static partial void Rejected(ILogger logger, Mesh.Policy.Loading.ValidationError rejection);

    [LoggerMessage(Level = LogLevel.Critical, Message = "the control plane stopped; the proxy keeps enforcing snapshot {Version} (fail static)")]
    public static partial void ControlPlaneStopped(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "controller {Self} serving {Manifests}; admin http://{Admin}/")]
    public static partial void ControllerServing(ILogger logger, Akka.Actor.Address self, string manifests, System.Net.IPEndPoint admin);

    [LoggerMessage(Level = LogLevel.Critical, Message = "stopping: {Reason}")]
    public static partial void ControllerStopping(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "proxy serving {Identity} via controllers {Controllers}; outbound :{OutboundPort}, admin http://{Admin}/")]
    public static partial void ProxyServing(ILogger logger, Mesh.Policy.Model.ServiceAccountIdentity identity, IEnumerable<Akka.Actor.ActorPath> controllers, int outboundPort, System.Net.IPEndPoint admin);
}
