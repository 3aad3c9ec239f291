using k8s;
using Mesh.Kubernetes.Access;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Reflection;
using Prometheus;

namespace Mesh.Kubernetes.Tests.Support;

/// <summary>A reflector running against a fake, as an actor would own it: started, then cancelled and awaited.</summary>
internal sealed class RunningReflector : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public RunningReflector(IKubernetes client, WatchedResource resource, ReflectorOptions? options = null, TimeProvider? time = null, Random? random = null)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Metrics = new ReflectorMetrics(Prometheus.Metrics.WithCustomRegistry(Registry));
        Reflector = new Reflector(ResourceClients.For(client, resource), Sink, Metrics, options ?? Fast, time, random ?? new Random(7));
        Run = Task.Run(() => Reflector.RunAsync(_stop.Token));
    }

    /// <summary>Real-time tests: short backoff so retries happen quickly; stall and timeout bounds out of the way.</summary>
    public static ReflectorOptions Fast { get; } = new()
    {
        BackoffInitial = TimeSpan.FromMilliseconds(20),
        BackoffMax = TimeSpan.FromMilliseconds(200),
        AuthRetryDelay = TimeSpan.FromMilliseconds(200),
        StallTimeout = TimeSpan.FromMinutes(10),
    };

    public CollectorRegistry Registry { get; }

    public ReflectorMetrics Metrics { get; }

    public RecordingSink Sink { get; } = new();

    public Reflector Reflector { get; }

    public Task Run { get; }

    public static double Count(Counter counter, params string[] labels) => counter.WithLabels(labels).Value;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(Wait.Default);
        _stop.Dispose();
    }
}
