using System.Net;
using Mesh.Control;
using Mesh.Hocon;
using Mesh.Policy.Model;
using Mesh.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Configuration;

/// <summary>
/// The typed settings of <c>mesh run</c>, read from the layered configuration with errors that name the key; its readers
/// serve the settings of <c>mesh controller</c> and <c>mesh proxy</c> too.
/// </summary>
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
        ArgumentNullException.ThrowIfNull(config);
        var (inline, threads) = ReadSocketEngine(config);
        return new MeshSettings(ReadIdentity(config), ReadLogLevel(config), ReadControl(config), ReadProxy(config),
            config["mesh:proxy:decision-log"] ?? "stdout", inline, threads);
    }

    /// <summary>Inline socket completions and the engine's thread count (0: auto).</summary>
    public static (bool Inline, int Threads) ReadSocketEngine(IConfiguration config) =>
        (Boolean(config, "mesh:proxy:inline-socket-completions"), EngineThreads(config, "mesh:proxy:socket-engine-threads"));

    public static ServiceAccountIdentity ReadIdentity(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            return ServiceAccountIdentity.Parse(Required(config, "mesh:identity"));
        }
        catch (FormatException e)
        {
            throw new SettingsException("mesh.identity", e.Message);
        }
    }

    public static LogLevel ReadLogLevel(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var level = config["mesh:log-level"] ?? "info";
        return level.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            _ => throw new SettingsException("mesh.log-level", $"'{level}' is not trace, debug, info, warn, error or critical"),
        };
    }

    /// <summary>The proxy's settings (<c>mesh.proxy</c>).</summary>
    public static ProxyOptions ReadProxy(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        IPEndPoint? forwardEndpoint = null;
        if (config["mesh:proxy:forward-proxy-address"] is { Length: > 0 } forward && !IPEndPoint.TryParse(forward, out forwardEndpoint))
        {
            throw new SettingsException("mesh.proxy.forward-proxy-address", $"'{forward}' is not ADDRESS:PORT");
        }
        return new ProxyOptions
        {
            ForwardProxyEndpoint = forwardEndpoint,
            OutboundPort = Port(config, "mesh:proxy:outbound-port"),
            AdminEndpoint = Endpoint(config, "mesh:proxy:admin-address"),
            SniffTimeout = Duration(config, "mesh:proxy:sniff-timeout"),
            MaxSniffBytes = (int)Size(config, "mesh:proxy:max-sniff-bytes"),
            ConnectTimeout = Duration(config, "mesh:proxy:connect-timeout"),
            DnsCacheTtl = DurationOrOff(config, "mesh:proxy:dns-cache-ttl"),
            IdleTimeout = Duration(config, "mesh:proxy:idle-timeout"),
            RevocationDeadline = Duration(config, "mesh:proxy:revocation-deadline"),
            MaxPumpBufferSize = (int)Size(config, "mesh:proxy:max-pump-buffer"),
            RewatchInterval = Duration(config, "mesh:proxy:rewatch-interval"),
            TcpTransport = Required(config, "mesh:proxy:tcp-transport").ToLowerInvariant() switch
            {
                "epoll" => TcpTransport.Epoll,
                "sockets" => TcpTransport.Sockets,
                var other => throw new SettingsException("mesh.proxy.tcp-transport", $"'{other}' is not epoll or sockets"),
            },
            EpollThreads = Threads(config, "mesh:proxy:epoll-threads"),
            MaxConnections = Required(config, "mesh:proxy:max-connections") is var max && max.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
                : int.TryParse(max, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
                : throw new SettingsException("mesh.proxy.max-connections", $"'{max}' is not auto or a connection count of 1 or more"),
        };
    }

    /// <summary>ADDRESS:PORT, named by its key when it is not one.</summary>
    public static IPEndPoint Endpoint(IConfiguration config, string key)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = Required(config, key);
        return IPEndPoint.TryParse(text, out var endpoint) ? endpoint : throw new SettingsException(key.Replace(':', '.'), $"'{text}' is not ADDRESS:PORT");
    }

    /// <summary>A list of HOST:PORT (a HOCON list, or one comma-separated string from a flag or variable).</summary>
    public static IReadOnlyList<(string Host, int Port)> HostPorts(IConfiguration config, string key)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetSection(key);
        return section.Value is { } single ? ParseHostPorts(single, key.Replace(':', '.'))
            : ParseHostPorts(string.Join(',', section.GetChildren().Select(c => c.Value ?? "")), key.Replace(':', '.'));
    }

    /// <summary>HOST:PORT,... as a flag gives it; <paramref name="name"/> names the setting in errors.</summary>
    public static IReadOnlyList<(string Host, int Port)> ParseHostPorts(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new List<(string, int)>();
        foreach (var item in items)
        {
            var colon = item.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(item[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
            {
                throw new SettingsException(name, $"'{item}' is not HOST:PORT");
            }
            result.Add((item[..colon].Trim('[', ']'), port));
        }
        return result;
    }

    /// <summary>A size such as 4MiB, as bytes.</summary>
    public static long Bytes(IConfiguration config, string key) => Size(config, key);

    /// <summary>The control plane's settings (<c>mesh.control</c>), which <c>mesh egress explain</c> reads too.</summary>
    /// <param name="kubernetes">
    /// Read the Kubernetes API (<c>mesh.control.kubernetes</c>) instead of <c>mesh.control.manifests</c>, which must then
    /// be empty. The control plane then does not wait for its first sync to start: a controller the API server refuses
    /// stays up, not ready, and says why.
    /// </param>
    public static ControlPlaneOptions ReadControl(IConfiguration config, bool kubernetes = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        var meshConfigKey = KubernetesSettings.MeshConfigKey(config);
        if (kubernetes && config["mesh:control:manifests"] is { Length: > 0 })
        {
            throw new SettingsException("mesh.control.manifests", "reads a directory; --kubernetes reads the API server: give one");
        }
        return new ControlPlaneOptions
        {
            ManifestDirectory = kubernetes ? "" : Path.GetFullPath(Required(config, "mesh:control:manifests")),
            Kubernetes = kubernetes ? KubernetesSettings.Read(config) : null,
            WaitForFirstSync = !kubernetes,
            MeshConfigKey = meshConfigKey,
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

    /// <summary>A positive duration, or off (0 s, false, no, off): zero.</summary>
    private static TimeSpan DurationOrOff(IConfiguration config, string key) => Required(config, key) switch
    {
        "false" or "no" or "off" => TimeSpan.Zero,
        var text when HoconDuration.TryParse(text, out var d) && d >= TimeSpan.Zero => d,
        var text => throw new SettingsException(key.Replace(':', '.'), $"'{text}' is not a duration (e.g. 500ms, 5s) or off"),
    };

    /// <summary>"auto" (0: decided at start from the CPU count) or a thread count from 1 to 64.</summary>
    private static int EngineThreads(IConfiguration config, string key) =>
        string.Equals(Required(config, key), "auto", StringComparison.OrdinalIgnoreCase) ? 0 : Threads(config, key, "auto or ");

    /// <summary>A thread count from 1 to 64.</summary>
    private static int Threads(IConfiguration config, string key, string alternatives = "")
    {
        var text = Required(config, key);
        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64 ? n
            : throw new SettingsException(key.Replace(':', '.'), $"'{text}' is not {alternatives}a thread count from 1 to 64");
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
