using System.CommandLine;
using System.Globalization;
using Mesh.Cli.Configuration;
using Mesh.Cli.Hosting;
using Mesh.Cluster.Membership;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Cli.Commands;

/// <summary>
/// <c>mesh controller</c>: a controller replica, an Akka.Cluster member with role <c>controller</c> (see
/// <see cref="ControllerNode"/>). Its flags map onto configuration keys; <c>--seed-nodes</c> names HOST:PORT entries (a
/// DNS name stands for every address it resolves to), or the configuration's <c>akka.cluster.seed-nodes</c> is used.
/// </summary>
internal static class ControllerCommand
{
    /// <summary>
    /// What a controller's idle time costs, per proxy watching it (measured with 100 in bench/cluster's in-process host,
    /// two controllers; docs/benchmarks.md):
    /// <list type="bullet">
    /// <item>It death-watches every proxy that watches it (to forget it), and Akka's remote watcher heartbeats each
    /// watched process every second: 200 heartbeats and 200 answers a second, half of what the host allocated while idle
    /// (1.85 MB/s; 1.0 with 5 s). A proxy's death only matters for clean-up here (one that shuts down says so at once; this
    /// only times out one that vanished), so every 5 s, with 20 s of silence tolerated: such a proxy is forgotten within
    /// about 25 s instead of 11.</item>
    /// <item>Akka's scheduler ticks every 100 ms instead of 10 (<see cref="RunCommand.IdleDefaults"/>).</item>
    /// <item>Remoting checks every association for a system-message acknowledgement to send on its own every half
    /// <c>system-message-ack-piggyback-timeout</c> (a timer message to each association's writer actor): 0.3 s made it
    /// about 670 messages a second with 100 proxies. 1 s sends a lone acknowledgement of a watch or a termination
    /// notice at most about 1.5 s after it, still inside the 2 s after which the sender would resend
    /// (<c>resend-interval</c>); usually it travels sooner, on the next message.</item>
    /// </list>
    /// The scheduler's tick and the acknowledgements took a controller's idle CPU with 100 proxies from 184-201 CPU ticks in
    /// 30 s to 106-128 (two alternating rounds). Members watch each other by the cluster's failure detector, which this
    /// does not touch. A user's file wins.
    /// </summary>
    internal const string ControllerDefaults = RunCommand.IdleDefaults + """
        akka.remote.watch-failure-detector.heartbeat-interval = 5s
        akka.remote.watch-failure-detector.acceptable-heartbeat-pause = 20s
        akka.remote.system-message-ack-piggyback-timeout = 1s

        """;

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "HOCON file layered over reference.conf" };
        var manifests = new Option<string?>("--manifests") { Description = "Directory of manifests to watch (mesh.control.manifests)" };
        var meshConfig = new Option<string?>("--mesh-config") { Description = "NAMESPACE/NAME of the MeshConfig that counts (mesh.control.mesh-config)" };
        var clusterPort = new Option<int?>("--cluster-port") { Description = "This controller's cluster port (akka.remote.dot-netty.tcp.port)" };
        var seedNodes = new Option<string?>("--seed-nodes") { Description = "Controllers to join, HOST:PORT,... (akka.cluster.seed-nodes); this one's own address may be among them" };
        var admin = new Option<string?>("--admin") { Description = "Admin listener ADDRESS:PORT (mesh.control.admin-address)" };
        var webhook = new Option<string?>("--webhook") { Description = "Serve the sidecar injection webhook (HTTPS) on ADDRESS:PORT" };
        var webhookCertificate = new Option<string?>("--webhook-certificate") { Description = "The webhook's serving certificate (PEM)" };
        var webhookKey = new Option<string?>("--webhook-key") { Description = "The webhook's private key (PEM)" };
        var installValues = new Option<string?>("--install-values") { Description = "The install values file (what to inject), as mesh install wrote it" };
        var kubernetes = new Option<bool>("--kubernetes") { Description = "Watch the Kubernetes API instead of a directory of manifests, and write each Egress's status" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "kubeconfig file; none: in-cluster in a pod, else KUBECONFIG or ~/.kube/config (mesh.control.kubernetes.kubeconfig)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context (mesh.control.kubernetes.context)" };
        var meshName = new Option<string?>("--mesh-name") { Description = "Namespaces labelled openservicemesh.io/monitored-by=NAME are in the mesh (mesh.control.kubernetes.mesh-name)" };
        var command = new Command("controller", "Run a controller replica: watch the manifests or the Kubernetes API and publish snapshots to the proxies, in a cluster of controllers")
        {
            config, manifests, meshConfig, clusterPort, seedNodes, admin, webhook, webhookCertificate, webhookKey, installValues, kubernetes, kubeconfig, context, meshName,
        };
        command.SetAction((parse, ct) =>
        {
            var flags = new FlagValues(parse.GetValue(config), new Dictionary<string, string?>
            {
                ["mesh:control:manifests"] = parse.GetValue(manifests),
                ["mesh:control:mesh-config"] = parse.GetValue(meshConfig),
                ["mesh:control:admin-address"] = parse.GetValue(admin),
                ["akka:remote:dot-netty:tcp:port"] = parse.GetValue(clusterPort)?.ToString(CultureInfo.InvariantCulture),
                ["mesh:control:kubernetes:kubeconfig"] = parse.GetValue(kubeconfig),
                ["mesh:control:kubernetes:context"] = parse.GetValue(context),
                ["mesh:control:kubernetes:mesh-name"] = parse.GetValue(meshName),
            });
            var fromApi = parse.GetValue(kubernetes);
            var seeds = parse.GetValue(seedNodes);
            var webhookFlags = (parse.GetValue(webhook), parse.GetValue(webhookCertificate), parse.GetValue(webhookKey), parse.GetValue(installValues));
            return CommandHost.RunAsync("controller", flags, async (configuration, cancellation) =>
            {
                var settings = ControllerSettings.Read(configuration.Settings, fromApi) with
                {
                    Webhook = WebhookSettings.FromFlags(webhookFlags.Item1, webhookFlags.Item2, webhookFlags.Item3, webhookFlags.Item4),
                };
                if (!fromApi && !Directory.Exists(settings.Control.ManifestDirectory))
                {
                    throw new DirectoryNotFoundException($"manifest directory {settings.Control.ManifestDirectory} does not exist");
                }
                var akka = "akka.actor.provider = cluster\n";
                if (seeds is not null)
                {
                    var resolved = await ControllerAddresses.ResolveAsync(MeshSettings.ParseHostPorts(seeds, "--seed-nodes"), cancellation);
                    var list = ControllerAddresses.SeedNodes("mesh", resolved, settings.Self);
                    akka += $"akka.cluster.seed-nodes = [{string.Join(", ", list.Select(Mesh.Hocon.HoconRenderer.Quote))}]\n";
                }
                else if (configuration.Settings.GetSection("akka:cluster:seed-nodes").GetChildren().Any() is false)
                {
                    throw new SettingsException("akka.cluster.seed-nodes", "a controller needs seed nodes: --seed-nodes HOST:PORT,... (the first controller may name only itself)");
                }
                return Role(settings, akka);
            }, ct);
        });
        return command;
    }

    /// <summary>What a controller's host runs: the controller node, on <see cref="ControllerDefaults"/> under the user's configuration.</summary>
    internal static HostedRole Role(ControllerSettings settings, string akka) =>
        new(settings.LogLevel, akka, services =>
        {
            services.AddSingleton(settings);
            services.AddHostedService<ControllerNode>();
        }, ControllerDefaults);
}
