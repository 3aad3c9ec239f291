using Akka.Actor;
using Mesh.Policy.Model;
using Mesh.Proxy;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Observability;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Mesh.Cli.Hosting;

/// <summary>
/// A proxy node as <c>mesh run</c> and <c>mesh proxy</c> serve it: its JSON decision log (stdout, a file, or none), the
/// node fed by a snapshot source (the in-process snapshot server, or the controllers through a cluster client), and the
/// admin listener. Disposed in reverse order: the listener, the node, then the decision log, written out and closed.
/// </summary>
internal sealed class ServedProxy : IAsyncDisposable
{
    private readonly TextWriter? _decisionWriter;
    private readonly DecisionLog _decisionLog;
    private AdminServer? _admin;

    private ServedProxy(TextWriter? decisionWriter, DecisionLog decisionLog, ProxyNode node)
    {
        _decisionWriter = decisionWriter;
        _decisionLog = decisionLog;
        Node = node;
    }

    public ProxyNode Node { get; }

    /// <param name="decisionLog">"stdout", "none", or a file to append to (<c>mesh.proxy.decision-log</c>).</param>
    public static async Task<ServedProxy> StartAsync(ActorSystem system, ServiceAccountIdentity identity, IActorRef source, ProxyOptions options,
        string decisionLog, CollectorRegistry registry, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var writer = decisionLog switch
        {
            "none" => null,
            "stdout" => TextWriter.Synchronized(Console.Out),
            var path => TextWriter.Synchronized(new StreamWriter(path, append: true)),
        };
        var log = writer is null ? DecisionLog.None : new DecisionLog(writer, registry);
        ServedProxy? served = null;
        try
        {
            var node = await ProxyNode.StartAsync(ProxyNode.CreateRoot(system), identity, source, options, new ProxyMetrics(registry, identity),
                loggerFactory, log);
            served = new ServedProxy(writer, log, node);
            served._admin = await AdminServer.StartAsync(AdminServer.ForProxy(node, registry), options.AdminEndpoint, cancellationToken);
            return served;
        }
        catch
        {
            if (served is not null) await served.DisposeAsync();
            else await CloseAsync(writer, log);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null) await _admin.DisposeAsync();
        await Node.DisposeAsync();
        await CloseAsync(_decisionWriter, _decisionLog);
    }

    /// <summary>Writes what is queued, then closes the writer.</summary>
    private static async Task CloseAsync(TextWriter? writer, DecisionLog log)
    {
        if (!ReferenceEquals(log, DecisionLog.None)) await log.DisposeAsync();
        if (writer is not null) await writer.DisposeAsync();
    }
}
