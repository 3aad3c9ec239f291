using System.Net;
using Mesh.Control;
using Mesh.Hocon;
using Mesh.Policy.Model;
using Mesh.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Configuration;

/// <summary>The typed settings of <c>mesh run</c>, read from the layered configuration with errors that name the key.</summary>
internal sealed record MeshSettings(
    ServiceAccountIdentity Identity,
    LogLevel LogLevel,
    ControlPlaneOptions Control,
    ProxyOptions Proxy,
    string DecisionLog,
    bool InlineSocketCompletions,
    int SocketEngineThreads)
{
    public static MeshSettings Read(IConfiguration config)
    {
        var identityText = Required(config, "mesh:identity");
        ServiceAccountIdentity identity;
        try
        {
            identity = ServiceAccountIdentity.Parse(identityText);
        }
        catch (FormatException e)
        {
            throw new SettingsException("mesh.identity", e.Message);
        }
        var control = ReadControl(config);
        var admin = Required(config, "mesh:proxy:admin-address");
        if (!IPEndPoint.TryParse(admin, out var adminEndpoint)) throw new SettingsException("mesh.proxy.admin-address", $"'{admin}' is not ADDRESS:PORT");
        IPEndPoint? forwardEndpoint = null;
        if (config["mesh:proxy:forward-proxy-address"] is { Length: > 0 } forward && !IPEndPoint.TryParse(forward, out forwardEndpoint))
        {
            throw new SettingsException("mesh.proxy.forward-proxy-address", $"'{forward}' is not ADDRESS:PORT");
        }
        var proxy = new ProxyOptions
        {
            ForwardProxyEndpoint = forwardEndpoint,
            OutboundPort = Port(config, "mesh:proxy:outbound-port"),
            AdminEndpoint = adminEndpoint,
            SniffTimeout = Duration(config, "mesh:proxy:sniff-timeout"),
            MaxSniffBytes = (int)Size(config, "mesh:proxy:max-sniff-bytes"),
            ConnectTimeout = Duration(config, "mesh:proxy:connect-timeout"),
            IdleTimeout = Duration(config, "mesh:proxy:idle-timeout"),
            RevocationDeadline = Duration(config, "mesh:proxy:revocation-deadline"),
            MaxPumpBufferSize = (int)Size(config, "mesh:proxy:max-pump-buffer"),
        };
        var level = config["mesh:log-level"] ?? "info";
        var logLevel = level.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            _ => throw new SettingsException("mesh.log-level", $"'{level}' is not trace, debug, info, warn, error or critical"),
        };
        return new MeshSettings(identity, logLevel, control, proxy, config["mesh:proxy:decision-log"] ?? "stdout",
            Boolean(config, "mesh:proxy:inline-socket-completions"), EngineThreads(config, "mesh:proxy:socket-engine-threads"));
    }

    /// <summary>The control plane's settings (<c>mesh.control</c>), which <c>mesh egress explain</c> reads too.</summary>
    public static ControlPlaneOptions ReadControl(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var meshConfig = config["mesh:control:mesh-config"] ?? "mesh-system/mesh-config";
        var slash = meshConfig.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == meshConfig.Length - 1) throw new SettingsException("mesh.control.mesh-config", $"'{meshConfig}' must be NAMESPACE/NAME");
        return new ControlPlaneOptions
        {
            ManifestDirectory = Path.GetFullPath(Required(config, "mesh:control:manifests")),
            MeshConfigKey = new ResourceKey(ResourceKind.MeshConfig, meshConfig[..slash], meshConfig[(slash + 1)..]),
            DebounceSettle = Duration(config, "mesh:control:debounce-settle"),
            DebounceMaxDelay = Duration(config, "mesh:control:debounce-max-delay"),
            RescanInterval = Duration(config, "mesh:control:rescan-interval"),
        };
    }

    private static string Required(IConfiguration config, string key) =>
        config[key] is { Length: > 0 } value ? value : throw new SettingsException(key.Replace(':', '.'), "is required");

    private static TimeSpan Duration(IConfiguration config, string key) =>
        HoconDuration.TryParse(Required(config, key), out var d) && d > TimeSpan.Zero ? d
            : throw new SettingsException(key.Replace(':', '.'), $"'{config[key]}' is not a positive duration (e.g. 500ms, 5s)");

    /// <summary>"auto" (0: decided at start from the CPU count) or a thread count from 1 to 64.</summary>
    private static int EngineThreads(IConfiguration config, string key)
    {
        var text = Required(config, key);
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase)) return 0;
        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64 ? n
            : throw new SettingsException(key.Replace(':', '.'), $"'{text}' is not auto or a thread count from 1 to 64");
    }

    /// <summary>HOCON booleans: true/false, yes/no, on/off.</summary>
    private static bool Boolean(IConfiguration config, string key) => Required(config, key).ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw new SettingsException(key.Replace(':', '.'), $"'{config[key]}' is not a boolean (on or off)"),
    };

    private static long Size(IConfiguration config, string key) =>
        HoconSize.TryParse(Required(config, key), out var s) && s is > 0 and <= int.MaxValue ? s
            : throw new SettingsException(key.Replace(':', '.'), $"'{config[key]}' is not a size (e.g. 16KiB)");

    private static int Port(IConfiguration config, string key) =>
        int.TryParse(Required(config, key), out var p) && p is > 0 and < 65536 ? p
            : throw new SettingsException(key.Replace(':', '.'), $"'{config[key]}' is not a port number");
}

/// <summary>A setting that cannot be used, named by its HOCON path.</summary>
internal sealed class SettingsException(string path, string problem) : Exception($"configuration {path}: {problem}")
{
    public SettingsException()
        : this("", "")
    {
    }

    public SettingsException(string message)
        : this("", message)
    {
    }

    public SettingsException(string message, Exception inner)
        : this("", message + ": " + inner.Message)
    {
    }
}
