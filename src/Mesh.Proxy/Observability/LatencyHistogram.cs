using Prometheus;

namespace Mesh.Proxy.Observability;

/// <summary>
/// A latency histogram in seconds. The sum is a double: decisions take well under a microsecond, and a sum of whole
/// microseconds (as Mesh once kept) added nothing for them.
/// </summary>
internal sealed class LatencyHistogram(Histogram.Child histogram)
{
    public static double[] DecisionBounds { get; } = [1e-7, 5e-7, 1e-6, 5e-6, 2e-5, 1e-4, 5e-4, 2e-3, 1e-2];

    public static double[] ConnectBounds { get; } = [1e-4, 5e-4, 1e-3, 5e-3, 2e-2, 1e-1, 0.5, 2];

    public void Record(TimeSpan elapsed) => histogram.Observe(elapsed.TotalSeconds);

    public double Sum => histogram.Sum;

    public double Count => histogram.Count;
}
