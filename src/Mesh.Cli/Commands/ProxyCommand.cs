using System.CommandLine;
using System.Globalization;
using Akka.Actor;
using Mesh.Cli.Configuration;
using Mesh.Cli.Hosting;
using Mesh.Cluster.Client;
using Mesh.Cluster.Membership;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Cli.Commands;

/// <summary>
/// <c>mesh proxy</c>: a proxy node for one identity, fed by the controller cluster, which it reaches as a cluster client
/// (see <see cref="ProxyService"/>). Its flags map onto configuration keys.
/// </summary>
internal static class ProxyCommand
{
    /// <summary>
    /// Akka's scheduler ticks every 100 ms, as in every Mesh process (<see cref="RunCommand.IdleDefaults"/>): a sidecar
    /// runs in every pod. Remoting's I/O runs on one thread per pool instead of two: a proxy has a connection or two per
    /// controller, and the 100 proxies of bench/cluster's in-process host went from 428 threads to 224 (each thread is a
    /// stack to reserve and to scan at every collection). A user's file wins.
    /// </summary>
    internal const string IdleSidecarDefaults = RunCommand.IdleDefaults + """
        akka.remote.dot-netty.tcp.server-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }
        akka.remote.dot-netty.tcp.client-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }

        """;

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "HOCON file layered over reference.conf" };
        var identity = new Option<string?>("--identity") { Description = "NAMESPACE/SERVICEACCOUNT this proxy serves (mesh.identity)" };
        var controllers = new Option<string?>("--controllers") { Description = "Controllers to reach, HOST:PORT,... (mesh.proxy.controllers)" };
        var outboundPort = new Option<int?>("--outbound-port") { Description = "Transparent outbound port (mesh.proxy.outbound-port)" };
        var admin = new Option<string?>("--admin") { Description = "Admin listener ADDRESS:PORT (mesh.proxy.admin-address)" };
        var command = new Command("proxy", "Run a proxy node for one identity, fed by the controller cluster")
        {
            config, identity, controllers, outboundPort, admin,
        };
        command.SetAction((parse, ct) => CommandHost.RunAsync("proxy", new FlagValues(parse.GetValue(config), new Dictionary<string, string?>
        {
            ["mesh:identity"] = parse.GetValue(identity),
            ["mesh:proxy:controllers"] = parse.GetValue(controllers),
            ["mesh:proxy:outbound-port"] = parse.GetValue(outboundPort)?.ToString(CultureInfo.InvariantCulture),
            ["mesh:proxy:admin-address"] = parse.GetValue(admin),
        }), async (configuration, cancellation) =>
        {
            var settings = ProxySettings.Read(configuration.Settings);
            var resolved = await ControllerAddresses.ResolveAsync(settings.Controllers, cancellation);
            IReadOnlyList<ActorPath> receptionists = [.. resolved.Select(c => ControllerLink.ReceptionistOf("mesh", c.Host, c.Port))];
            SocketEngine.Configure(settings.InlineSocketCompletions, settings.SocketEngineThreads);
            return Role(settings, receptionists);
        }, ct));
        return command;
    }

    /// <summary>
    /// The proxy's part of its host: a remote-only actor system (a cluster client, not a member) with the sidecar's idle
    /// defaults, and under them the cluster client's serializers (<see cref="ClientSystemDefaults"/>).
    /// </summary>
    internal static HostedRole Role(ProxySettings settings, IReadOnlyList<ActorPath> receptionists) =>
        new(settings.LogLevel, "akka.actor.provider = remote\n", services =>
        {
            services.AddSingleton(settings);
            services.AddSingleton(receptionists);
            services.AddHostedService<ProxyService>();
        }, IdleSidecarDefaults, ClientSystemDefaults.Config);
}
