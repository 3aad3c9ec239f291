using Akka.Actor;
using k8s;
using Mesh.Kubernetes.Access;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;

namespace Mesh.Control.Sources.Kubernetes;

/// <summary>
/// The reflector loops of one watcher incarnation: started in its <c>PreStart</c> with its <c>Self</c> captured (the
/// loops only <c>Tell</c>), stopped in its <c>PostStop</c>. A loop that ends with an exception tells
/// <see cref="ReflectorStopped"/>; a cancelled one ends quietly.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Stop cancels; see its remarks for why the source is not disposed.")]
internal sealed class ReflectorRuns
{
    private readonly CancellationTokenSource _stop = new();

    private ReflectorRuns()
    {
    }

    public static ReflectorRuns Start(IKubernetes client, IEnumerable<WatchedResource> resources, IActorRef actor, ReflectorMetrics metrics,
        ReflectorOptions options)
    {
        var runs = new ReflectorRuns();
        var token = runs._stop.Token;
        var sink = new ActorReflectorSink(actor, token);
        foreach (var resource in resources)
        {
            var reflector = new Reflector(ResourceClients.For(client, resource), sink, metrics, options);
            _ = Task.Run(() => reflector.RunAsync(token), CancellationToken.None).ContinueWith(
                t => actor.Tell(new ReflectorStopped(resource, t.Exception!.GetBaseException())),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        return runs;
    }

    /// <summary>
    /// Cancels every loop. The source is not disposed: the loops may still be unwinding with its token, and a source
    /// without timers holds nothing to release.
    /// </summary>
    public void Stop() => _stop.Cancel();
}
