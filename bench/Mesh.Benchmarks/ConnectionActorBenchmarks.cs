using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Mesh.Policy.Model;
using Mesh.Proxy;
using Mesh.Proxy.Connections;
using Mesh.Proxy.Forwarding;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Mesh.Benchmarks;

/// <summary>
/// What an actor per connection costs: making a <see cref="ConnectionActor"/> (with the identity actor's cached props,
/// no reflection) and stopping it, as a proxy does for every accepted connection, without the sockets. Compare with
/// the connections/s figures of the data-plane benchmark, where everything else a connection costs is measured.
/// </summary>
[MemoryDiagnoser]
public class ConnectionActorBenchmarks
{
    private ActorSystem _system = null!;

    /// <summary>On <see cref="ConnectionMailbox"/> (as shipped) or on Akka's default mailbox.</summary>
    [Params(true, false)]
    public bool CompactMailbox { get; set; }

    private IActorRef _parent = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench", "akka.loglevel = WARNING\nakka.log-dead-letters = off");
        var identity = new ServiceAccountIdentity("curl", "curl");
        var context = new ProxyContext(identity, new ProxyOptions(), new UpstreamConnector(new DnsHostResolver(), TimeSpan.FromSeconds(5)),
            new ProxyMetrics(Metrics.NewCustomRegistry(), identity), DecisionLog.None, NullLogger.Instance);
        ConnectionMailbox.Install(_system);
        // As the identity actor makes them, or the same on Akka's default mailbox, for comparison.
        var props = CompactMailbox ? ConnectionActor.Props(context) : ConnectionActor.Props(context).WithMailbox("akka.actor.default-mailbox");
        _parent = _system.ActorOf(Props.Create(() => new SpawningParent(props)), "identity");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    /// <summary>A thousand connection actors made (and their first message handled), then stopped.</summary>
    [Benchmark(OperationsPerInvoke = SpawningParent.Batch)]
    public Task SpawnAndStop() => _parent.Ask<Done>(SpawnBatch.Instance, TimeSpan.FromSeconds(30));

    private sealed class SpawnBatch
    {
        public static SpawnBatch Instance { get; } = new();
    }

    private sealed class Done
    {
        public static Done Instance { get; } = new();
    }

    /// <summary>Makes children exactly as the identity actor does, and answers once every one has started and stopped.</summary>
    private sealed class SpawningParent : UntypedActor
    {
        public const int Batch = 1000;
        private readonly Props _props;
        private IActorRef? _asker;
        private int _alive;

        public SpawningParent(Props props) => _props = props;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case SpawnBatch:
                    _asker = Sender;
                    _alive = Batch;
                    for (var i = 0; i < Batch; i++)
                    {
                        var child = Context.ActorOf(_props);
                        Context.Watch(child);
                        Context.Stop(child);
                    }
                    break;
                case Terminated when --_alive == 0:
                    _asker!.Tell(Done.Instance);
                    break;
            }
        }
    }
}
