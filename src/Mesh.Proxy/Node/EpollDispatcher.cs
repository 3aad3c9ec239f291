using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Mesh.Proxy.Transport;

namespace Mesh.Proxy.Node;

/// <summary>
/// An Akka dispatcher whose mailboxes run on the epoll transport's loop threads, for the connection actors: a
/// connection's actor work (its start, decisions, the flow's first steps, its end and stop) then runs on the thread
/// that moves its bytes, as HAProxy runs a connection on one thread, instead of waking a pool worker for each message.
/// Measured with the transport alone (docs/benchmarks.md, issue 11): waking pool workers was a tenth of Mesh's CPU per
/// new connection (the scheduler's switches), and the transport gained nothing on connections/s while its flows' actor
/// work crossed threads. Mailbox semantics are Akka's own (a mailbox runs on one thread at a time, at most
/// <c>throughput</c> messages per turn); only the executor differs.
/// </summary>
internal sealed class EpollDispatcherConfigurator : MessageDispatcherConfigurator
{
    private static int s_count;
    private readonly Dispatcher _dispatcher;

    private EpollDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites, EpollTransport transport)
        : base(config, prerequisites)
    {
        _dispatcher = new Dispatcher(this, config.GetString("id"), config.GetInt("throughput"), null, new LoopExecutorFactory(transport),
            TimeSpan.FromSeconds(1));
    }

    public override MessageDispatcher Dispatcher() => _dispatcher;

    /// <summary>Registers a dispatcher on <paramref name="transport"/>'s loops with <paramref name="system"/>; returns its id.</summary>
    public static string Register(ActorSystem system, EpollTransport transport)
    {
        var id = $"mesh-epoll-dispatcher-{Interlocked.Increment(ref s_count)}";
        var config = ConfigurationFactory.ParseString($"id = \"{id}\"").WithFallback(system.Dispatchers.DefaultDispatcherConfig);
        system.Dispatchers.RegisterConfigurator(id, new EpollDispatcherConfigurator(config, system.Dispatchers.Prerequisites, transport));
        return id;
    }

    private sealed class LoopExecutorFactory(EpollTransport transport) : ExecutorServiceFactory
    {
        public override ExecutorService Produce(string id) => new LoopExecutor(id, transport);
    }

    private sealed class LoopExecutor(string id, EpollTransport transport) : ExecutorService(id)
    {
        public override void Execute(IRunnable run) => transport.Post(static r => ((IRunnable)r).Run(), run);

        public override void Shutdown()
        {
            // The loops are the transport's; they end with it.
        }
    }
}
