using System.Diagnostics.CodeAnalysis;

namespace Mesh.Actors;

/// <summary>Restart delays: exponential in the number of recent failures, lengthened by jitter, capped.</summary>
internal static class Backoff
{
    /// <param name="failuresInWindow">1 for the first failure.</param>
    /// <param name="unitRandom">A value in [0, 1) that scales the jitter.</param>
    public static TimeSpan Delay(SupervisionOptions options, int failuresInWindow, double unitRandom)
    {
        var exponent = Math.Max(0, failuresInWindow - 1);
        var baseMs = options.MinBackoff.TotalMilliseconds * Math.Pow(options.BackoffFactor, exponent);
        var jitteredMs = baseMs * (1.0 + (options.Jitter * unitRandom));
        // Math.Min also tames the infinity Math.Pow reaches after many failures.
        return TimeSpan.FromMilliseconds(Math.Min(jitteredMs, options.MaxBackoff.TotalMilliseconds));
    }

    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter only spreads restarts; nothing depends on it being unpredictable.")]
    public static TimeSpan NextDelay(SupervisionOptions options, int failuresInWindow) =>
        Delay(options, failuresInWindow, Random.Shared.NextDouble());
}
