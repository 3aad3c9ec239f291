using System.Net;
using Mesh.Control;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Configuration;

/// <summary>The typed settings of <c>mesh controller</c>.</summary>
/// <param name="Self">The address other nodes reach this one at (akka.remote.dot-netty.tcp: public-hostname or hostname, port).</param>
/// <param name="Webhook">The injection webhook to serve, if any.</param>
internal sealed record ControllerSettings(ControlPlaneOptions Control, IPEndPoint Admin, LogLevel LogLevel, (string Host, int Port) Self,
    WebhookSettings? Webhook = null)
{
    /// <summary>Room for the envelope of a snapshot message within one remote frame.</summary>
    private const long EnvelopeRoom = 64 * 1024;

    /// <param name="kubernetes">Read the Kubernetes API instead of a directory of manifests (<c>--kubernetes</c>).</param>
    public static ControllerSettings Read(IConfiguration config, bool kubernetes = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        var frame = MeshSettings.Bytes(config, "akka:remote:dot-netty:tcp:maximum-frame-size");
        var control = MeshSettings.ReadControl(config, kubernetes) with { MaxRemoteSnapshotBytes = Math.Max(frame - EnvelopeRoom, frame / 2) };
        var host = config["akka:remote:dot-netty:tcp:public-hostname"] is { Length: > 0 } advertised ? advertised
            : config["akka:remote:dot-netty:tcp:hostname"] ?? "127.0.0.1";
        var port = int.TryParse(config["akka:remote:dot-netty:tcp:port"], System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 0;
        if (port is <= 0 or > 65535)
        {
            throw new SettingsException("akka.remote.dot-netty.tcp.port", $"'{config["akka:remote:dot-netty:tcp:port"]}' is not a port: a controller needs a fixed cluster port (--cluster-port)");
        }
        return new ControllerSettings(control, MeshSettings.Endpoint(config, "mesh:control:admin-address"), MeshSettings.ReadLogLevel(config), (host, port));
    }
}
