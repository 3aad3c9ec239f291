using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Mesh.Actors.TestKit;
using Mesh.Policy.Snapshots;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Listeners;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Tests.Support;

/// <summary>
/// A started <see cref="ProxyNode"/> on a loopback port, fed by a <see cref="TestSnapshotSource"/>. There is no
/// iptables here: a client socket is bound first, its local port is mapped to the destination it "meant", and the
/// proxy's original-destination resolver reads that map. Host names resolve through a fixed table to loopback.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, IPEndPoint> _destinations = new();
    private readonly StringWriter _decisionText = new();

    private ProxyHarness(ProxyOptions options)
    {
        ProxyEndpoint = new IPEndPoint(IPAddress.Loopback, Net.FreeLoopbackPort());
        DecisionLogWriter = TextWriter.Synchronized(_decisionText);
        Node = new ProxyNode(Policies.Curl, Source, options, Logs, new DecisionLog(DecisionLogWriter),
            new MappedDestinations(_destinations), Hosts, [ProxyEndpoint]);
    }

    public TestSnapshotSource Source { get; } = new();

    public TestLoggerFactory Logs { get; } = new();

    public HostTable Hosts { get; } = new();

    public ProxyNode Node { get; }

    /// <summary>Where the proxy's outbound listener binds (fixed, so it reopens on the same port).</summary>
    public IPEndPoint ProxyEndpoint { get; }

    public TextWriter DecisionLogWriter { get; }

    public static ProxyHarness Start(ProxyOptions? options = null)
    {
        var harness = new ProxyHarness(options ?? new ProxyOptions());
        harness.Hosts.Add("httpbin.org", IPAddress.Loopback);
        harness.Node.Start();
        return harness;
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
        Source.Publish(snapshot);
        await Eventually.TrueAsync(() => ReferenceEquals(Node.Snapshot, snapshot), TimeSpan.FromSeconds(3));
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
    public IReadOnlyList<LogEntry> Errors() => [.. Logs.Entries.Received.Where(e => e.Level >= LogLevel.Error)];

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(Net.TestBound);
        await Node.DisposeAsync().AsTask().WaitAsync(bound.Token);
        Source.Complete();
        var errors = Errors();
        Assert.True(errors.Count == 0, "the proxy logged errors:\n" + string.Join("\n", errors.Select(e => $"{e.Message} {e.Exception}")));
    }

    private sealed class MappedDestinations(ConcurrentDictionary<int, IPEndPoint> map) : IOriginalDestinationResolver
    {
        public IPEndPoint? Resolve(Socket accepted) =>
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
