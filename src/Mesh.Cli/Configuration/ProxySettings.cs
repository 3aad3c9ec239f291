using Mesh.Policy.Model;
using Mesh.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Mesh.Cli.Configuration;

/// <summary>The typed settings of <c>mesh proxy</c>: the identity it serves, the proxy's settings and the controllers.</summary>
internal sealed record ProxySettings(ServiceAccountIdentity Identity, ProxyOptions Proxy, IReadOnlyList<(string Host, int Port)> Controllers,
    string DecisionLog, LogLevel LogLevel, bool InlineSocketCompletions, int SocketEngineThreads)
{
    public static ProxySettings Read(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var controllers = MeshSettings.HostPorts(config, "mesh:proxy:controllers");
        if (controllers.Count == 0) throw new SettingsException("mesh.proxy.controllers", "is required: the controllers to reach, HOST:PORT,... (--controllers)");
        var (inline, threads) = MeshSettings.ReadSocketEngine(config);
        return new ProxySettings(MeshSettings.ReadIdentity(config), MeshSettings.ReadProxy(config), controllers,
            config["mesh:proxy:decision-log"] ?? "stdout", MeshSettings.ReadLogLevel(config), inline, threads);
    }
}
