using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Mesh.Cluster.Client;
using Mesh.Hocon;
using Mesh.Policy.Model;
using Mesh.Proxy;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Mesh.InProcessProxies;

/// <summary>
/// N proxy nodes in this one process, each its own actor system with its own remoting port and cluster client, built
/// the way <c>mesh proxy</c> builds one (reference.conf's akka section, remote provider, <see cref="ClientSystemDefaults"/>,
/// <see cref="ControllerLink"/>, <see cref="ProxyNode"/> with the default <see cref="ProxyOptions"/>), fed by real
/// <c>mesh controller</c> processes.
/// They share one runtime, thread pool and GC heap: the placement the issue calls "100 in one process". No admin
/// listener and no logging (the proxies are read in memory), and the outbound listeners bind 127.0.0.1 on any port.
/// <para>
/// Driven by bench/cluster/driver.py over stdin/stdout; every line meant for it starts with "@@ " (Akka may print
/// its own warnings on stdout): "@@ ready {...}" once every proxy holds a snapshot, then for each "state" line read,
/// "@@ state [...]" (per proxy: version, when it was applied, the port of the flip policy, controller reachability),
/// for "gc", "@@ gc {...}" (collections per generation, the total GC pause since start and the part of it spent stopping threads), and for "quit", "@@ bye"
/// after every node is stopped.
/// </para>
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var options = Arguments.Parse(args);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(
                "usage: Mesh.InProcessProxies --proxies N --controllers HOST:PORT,... --reference PATH/reference.conf " +
                "[--identity NS/SA] [--flip-policy NS/NAME] [--ready-timeout SECONDS]");
            return 2;
        }

        var reference = HoconParser.ParseFile(options.ReferencePath);
        var akka = reference.TryGetValue("akka", out var section) ? "akka = " + HoconRenderer.Render(section) : "";
        // As `mesh proxy`: the remote provider on any free port. Akka's own log stays quiet: stdout is the protocol.
        var config = ConfigurationFactory.ParseString("""
                akka.actor.provider = remote
                akka.remote.dot-netty.tcp.port = 0
                akka.loglevel = WARNING
                akka.stdout-loglevel = WARNING
                """)
            .WithFallback(ConfigurationFactory.ParseString(akka))
            // As mesh proxy's defaults (ProxyCommand.IdleSidecarDefaults): a 100 ms tick, one remoting I/O thread per pool.
            .WithFallback(ConfigurationFactory.ParseString("""
                akka.scheduler.tick-duration = 100ms
                akka.remote.dot-netty.tcp.server-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }
                akka.remote.dot-netty.tcp.client-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }
                """))
            .WithFallback(ClientSystemDefaults.Config); // as mesh proxy: the cluster client's serializers
        IReadOnlyList<ActorPath> receptionists = [.. options.Controllers.Select(c => ControllerLink.ReceptionistOf("mesh", c.Host, c.Port))];
        var identity = ServiceAccountIdentity.Parse(options.Identity);

        using var suspensions = new GcSuspensions();
        var started = Stopwatch.StartNew();
        var nodes = new List<(ActorSystem System, ProxyNode Node)>(options.Proxies);
        for (var i = 0; i < options.Proxies; i++)
        {
            var system = ActorSystem.Create("mesh", config);
            var link = system.ActorOf(ControllerLink.Props(receptionists), ControllerLink.Name);
            var node = await ProxyNode.StartAsync(ProxyNode.CreateRoot(system), identity, link, new ProxyOptions(),
                new ProxyMetrics(Metrics.NewCustomRegistry(), identity), NullLoggerFactory.Instance,
                outboundEndpoints: [new IPEndPoint(IPAddress.Loopback, 0)]);
            nodes.Add((system, node));
        }

        var deadline = Stopwatch.StartNew();
        while (nodes.Any(n => !n.Node.IsReady))
        {
            if (deadline.Elapsed > options.ReadyTimeout)
            {
                await Console.Error.WriteLineAsync($"{nodes.Count(n => !n.Node.IsReady)} of {nodes.Count} proxies got no snapshot within {options.ReadyTimeout}");
                return 1;
            }
            await Task.Delay(100);
        }
        Emit("ready", new { proxies = nodes.Count, seconds = Math.Round(started.Elapsed.TotalSeconds, 2) });
        var flipNamespace = options.FlipPolicy[..options.FlipPolicy.IndexOf('/', StringComparison.Ordinal)];
        var flipName = options.FlipPolicy[(flipNamespace.Length + 1)..];

        while (await Console.In.ReadLineAsync() is { } line)
        {
            switch (line.Trim())
            {
                case "state":
                    Emit("state", nodes.Select(n => State(n.Node, flipNamespace, flipName)));
                    break;
                case "gc":
                    // What the runtime paused for since start: a change whose applies spread far can be matched to it.
                    Emit("gc", new
                    {
                        gen0 = GC.CollectionCount(0),
                        gen1 = GC.CollectionCount(1),
                        gen2 = GC.CollectionCount(2),
                        pauseMs = Math.Round(GC.GetTotalPauseDuration().TotalMilliseconds, 2),
                        suspendMs = Math.Round(suspensions.Total.TotalMilliseconds, 2),
                        longestSuspendMs = Math.Round(suspensions.Longest.TotalMilliseconds, 2),
                        last = Last(GC.GetGCMemoryInfo(GCKind.Any)),
                        heapMiB = GC.GetGCMemoryInfo().HeapSizeBytes >> 20,
                        allocatedKiB = GC.GetTotalAllocatedBytes() >> 10,
                    });
                    break;
                case "quit":
                    await StopAsync(nodes);
                    Emit("bye", new { });
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"unknown command: {line}");
                    break;
            }
        }
        await StopAsync(nodes);
        return 0;
    }

    /// <remarks>
    /// No string per rule: the driver asks every 50 ms while a change is applied, and what the host allocates for it
    /// brings the next collection, which pauses every proxy, closer.
    /// </remarks>
    private static object State(ProxyNode node, string flipNamespace, string flipName)
    {
        var view = node.View;
        var flip = view.Snapshot?.Rules.FirstOrDefault(r => r.Ref.Policy.Namespace == flipNamespace && r.Ref.Policy.Name == flipName);
        return new
        {
            version = view.Snapshot?.Version,
            appliedAt = view.SnapshotAppliedAt?.ToString("O", CultureInfo.InvariantCulture),
            flipPort = flip?.Ref.Port,
            reachable = view.SourceReachable,
        };
    }

    /// <summary>The last collection: what it promoted, and how many objects were pinned (the GC cannot move them while compacting).</summary>
    private static object Last(GCMemoryInfo info) => new
    {
        index = info.Index,
        generation = info.Generation,
        promotedKiB = info.PromotedBytes >> 10,
        pinned = info.PinnedObjectsCount,
        compacted = info.Compacted,
        concurrent = info.Concurrent,
        pauseMs = Math.Round(info.PauseDurations[0].TotalMilliseconds, 2),
        fragmentedKiB = info.FragmentedBytes >> 10,
        heapMiB = info.HeapSizeBytes >> 20,
    };

    private static async Task StopAsync(List<(ActorSystem System, ProxyNode Node)> nodes)
    {
        await Task.WhenAll(nodes.Select(async n =>
        {
            await n.Node.DisposeAsync();
            await n.System.Terminate();
        }));
    }

    private static void Emit(string what, object payload) =>
        Console.Out.WriteLine($"@@ {what} {JsonSerializer.Serialize(payload)}");

    private sealed record Arguments(int Proxies, IReadOnlyList<(string Host, int Port)> Controllers, string ReferencePath, string Identity,
        string FlipPolicy, TimeSpan ReadyTimeout)
    {
        public static Arguments? Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2) values[args[i]] = args[i + 1];
            if (!values.TryGetValue("--proxies", out var proxies) || !values.TryGetValue("--controllers", out var controllers) ||
                !values.TryGetValue("--reference", out var reference))
            {
                return null;
            }
            return new Arguments(
                int.Parse(proxies, CultureInfo.InvariantCulture),
                [.. controllers.Split(',').Select(c => (c[..c.LastIndexOf(':')], int.Parse(c[(c.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture)))],
                reference,
                values.GetValueOrDefault("--identity", "curl/curl"),
                values.GetValueOrDefault("--flip-policy", "curl/flip"),
                TimeSpan.FromSeconds(double.Parse(values.GetValueOrDefault("--ready-timeout", "300"), CultureInfo.InvariantCulture)));
        }
    }
}
