using System.Globalization;
using System.Text;

namespace Mesh.Proxy.Observability;

/// <summary>A fixed-bucket Prometheus histogram of seconds, lock-free to record.</summary>
internal sealed class LatencyHistogram(string name, string help, double[] bounds)
{
    private readonly long[] _counts = new long[bounds.Length + 1];
    private long _sumMicros;

    public static double[] DecisionBounds { get; } = [1e-6, 5e-6, 2e-5, 1e-4, 5e-4, 2e-3, 1e-2];

    public static double[] ConnectBounds { get; } = [1e-4, 5e-4, 1e-3, 5e-3, 2e-2, 1e-1, 0.5, 2];

    public void Record(TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        var i = 0;
        while (i < bounds.Length && seconds > bounds[i]) i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
    }

    public void WriteTo(StringBuilder text)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} histogram\n");
        long cumulative = 0;
        for (var i = 0; i < bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"{bounds[i]:G}\"}} {cumulative}\n");
        }
        cumulative += Interlocked.Read(ref _counts[^1]);
        text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"+Inf\"}} {cumulative}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name}_sum {Interlocked.Read(ref _sumMicros) / 1e6:G}\n{name}_count {cumulative}\n");
    }
}
