namespace Mesh.Kubernetes.Reflection;

/// <summary>
/// Retry delays as client-go's reflector spaces them: from <see cref="ReflectorOptions.BackoffInitial"/> (0.8 s),
/// doubling, up to <see cref="ReflectorOptions.BackoffMax"/> (30 s), with jitter so replicas that fail together do
/// not retry together; back to the start once things have been stable for <see cref="ReflectorOptions.BackoffReset"/>.
/// </summary>
/// <remarks>
/// Delay n is the nominal <c>initial * 2^n</c> (capped) times a factor drawn from [1 - j, 1 + j] (j =
/// <see cref="ReflectorOptions.BackoffJitter"/>, 0.2), clamped to [initial, max]. Clamping keeps the documented
/// bounds exact; at the cap the jitter still spreads retries over [max * (1 - j), max]. Not thread-safe: one
/// reflector loop owns it.
/// </remarks>
internal sealed class ExponentialBackoff
{
    private readonly ReflectorOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private int _attempt;
    private DateTimeOffset? _lastFailure;

    public ExponentialBackoff(ReflectorOptions options, TimeProvider time, Random random)
    {
        _options = options;
        _time = time;
        _random = random;
    }

    /// <summary>Failures since the last reset.</summary>
    public int Attempt => _attempt;

    /// <summary>The delay before the next retry. Resets first if the last failure is older than the reset span.</summary>
    public TimeSpan Next()
    {
        var now = _time.GetUtcNow();
        if (_lastFailure is { } last && now - last >= _options.BackoffReset) _attempt = 0;
        _lastFailure = now;
        var nominal = Nominal(_attempt, _options);
        _attempt = Math.Min(_attempt + 1, 62);
        var factor = 1 + (((_random.NextDouble() * 2) - 1) * _options.BackoffJitter);
        var delay = nominal * factor;
        return Clamp(delay, _options.BackoffInitial, _options.BackoffMax);
    }

    /// <summary>Marks the loop as stable: the next failure starts again from the initial delay.</summary>
    public void Reset()
    {
        _attempt = 0;
        _lastFailure = null;
    }

    /// <summary>The delay before jitter for the n-th consecutive failure (0-based).</summary>
    internal static TimeSpan Nominal(int attempt, ReflectorOptions options)
    {
        var ticks = options.BackoffInitial.Ticks * Math.Pow(2, Math.Min(attempt, 40));
        return ticks >= options.BackoffMax.Ticks ? options.BackoffMax : TimeSpan.FromTicks((long)ticks);
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;
}
