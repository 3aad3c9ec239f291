using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Mesh.Control;
using Mesh.Control.Publishing;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Listeners;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Mesh.Proxy.Tests.Support;

/// <summary>
/// A started <see cref="ProxyNode"/> on a loopback port in an actor system of its own, watching snapshots at a real
/// snapshot server to which the test publishes compiled snapshots. There is no iptables here: a client socket is bound
/// first, its local port is mapped to the destination it "meant", and the proxy's original-destination resolver reads
/// that map. Host names resolve through a fixed table to loopback.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private static int s_systems;
    private static long s_publications;
    private readonly ConcurrentDictionary<int, IPEndPoint> _destinations;
    private readonly StringWriter _decisionText;
    private readonly ActorSystem _system;

    private ProxyHarness(ActorSystem system, CollectorRegistry registry, IActorRef server, ProxyNode node, StringWriter decisionText, TextWriter decisionLogWriter,
        CapturingLoggerFactory logs, HostTable hosts, IPEndPoint proxyEndpoint, ConcurrentDictionary<int, IPEndPoint> destinations)
    {
        _system = system;
        Registry = registry;
        Server = server;
        Node = node;
        _decisionText = decisionText;
        DecisionLogWriter = decisionLogWriter;
        Logs = logs;
        Hosts = hosts;
        ProxyEndpoint = proxyEndpoint;
        _destinations = destinations;
    }

    /// <summary>The actor system the node runs in.</summary>
    public ActorSystem System => _system;

    /// <summary>The process's metrics registry (the node's and the decision log's metrics).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The control plane's snapshot server the node watches; tests publish to it.</summary>
    public IActorRef Server { get; }

    public CapturingLoggerFactory Logs { get; }

    public HostTable Hosts { get; }

    public ProxyNode Node { get; }

    /// <summary>Where the proxy's outbound listener binds (fixed, so it reopens on the same port).</summary>
    public IPEndPoint ProxyEndpoint { get; }

    public TextWriter DecisionLogWriter { get; }

    public static async Task<ProxyHarness> StartAsync(ProxyOptions? options = null)
    {
        var system = ActorSystem.Create($"proxy-test-{Interlocked.Increment(ref s_systems)}", MeshTestKit.BuildConfig());
        var registry = Metrics.NewCustomRegistry();
        var logs = new CapturingLoggerFactory();
        var server = system.ActorOf(SnapshotServer.Props(new ControlPlaneMetrics(Metrics.WithCustomRegistry(registry)), logs), SnapshotServer.Name);
        var decisionText = new StringWriter();
        var decisionLogWriter = TextWriter.Synchronized(decisionText);
        var hosts = new HostTable();
        hosts.Add("httpbin.org", IPAddress.Loopback);
        var destinations = new ConcurrentDictionary<int, IPEndPoint>();
        var endpoint = new IPEndPoint(IPAddress.Loopback, Net.FreeLoopbackPort());
        var node = await ProxyNode.StartAsync(ProxyNode.CreateRoot(system), Policies.Curl, server, options ?? new ProxyOptions(),
            new ProxyMetrics(registry, Policies.Curl), logs, new DecisionLog(decisionLogWriter, registry), new MappedDestinations(destinations), hosts, [endpoint]);
        return new ProxyHarness(system, registry, server, node, decisionText, decisionLogWriter, logs, hosts, endpoint, destinations);
    }

    /// <summary>Publishes a snapshot as the aggregator would, and waits until the node has applied it.</summary>
    public async Task PublishAsync(EgressSnapshot snapshot)
    {
        Server.Tell(new PublishSnapshot(snapshot, SnapshotOrder.None.With("test", (ulong)Interlocked.Increment(ref s_publications))));
        await Eventually.TrueAsync(() => ReferenceEquals(Node.Snapshot, snapshot), TimeSpan.FromSeconds(3));
    }

    /// <summary>Decision log lines written so far.</summary>
    public string[] DecisionLines()
    {
        string text;
        lock (DecisionLogWriter) text = _decisionText.ToString();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Publishes a snapshot compiled from the manifests and waits until the node has applied it.</summary>
    public async Task<EgressSnapshot> PublishAsync(params string[] manifests)
    {
        var snapshot = Policies.Compile(manifests);
        await PublishAsync(snapshot);
        return snapshot;
    }

    /// <summary>Connects to the proxy as a client whose connection was meant for <paramref name="destination"/>.</summary>
    public async Task<Socket> ConnectAsync(IPEndPoint destination, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var localPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
            _destinations[localPort] = destination;
            await socket.ConnectAsync(ProxyEndpoint, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Errors the proxy logged (an unexpected exception in a connection actor shows up here).</summary>
    public IReadOnlyList<LogEntry> Errors() => [.. Logs.Entries.Where(e => e.Level >= LogLevel.Error)];

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(Net.TestBound);
        await Node.DisposeAsync().AsTask().WaitAsync(bound.Token);
        await _system.Terminate().WaitAsync(bound.Token);
        var errors = Errors();
        Assert.True(errors.Count == 0, "the proxy logged errors:\n" + string.Join("\n", errors.Select(e => $"{e.Message} {e.Exception}")));
    }

    private sealed class MappedDestinations(ConcurrentDictionary<int, IPEndPoint> map) : IOriginalDestinationResolver
    {
        public IPEndPoint? Resolve(Socket accepted, IPEndPoint listener) =>
            accepted.RemoteEndPoint is IPEndPoint remote && map.TryGetValue(remote.Port, out var destination) ? destination : null;
    }
}

/// <summary>The "DNS" of the test world: fixed names to loopback addresses, counting lookups.</summary>
internal sealed class HostTable : IHostResolver
{
    private readonly ConcurrentDictionary<string, IPAddress[]> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _lookups = new();

    public IReadOnlyCollection<string> Lookups => _lookups;

    public void Add(string name, params IPAddress[] addresses) => _names[name] = addresses;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        _lookups.Enqueue(host);
        return _names.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
