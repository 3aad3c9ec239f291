namespace Mesh.Actors;

/// <summary>
/// How a failing actor is restarted. The n-th failure inside <see cref="Window"/> waits
/// <c>MinBackoff * BackoffFactor^(n-1)</c>, stretched by up to <see cref="Jitter"/> of itself and capped at
/// <see cref="MaxBackoff"/>; failure number <c>MaxRestarts + 1</c> inside the window escalates instead.
/// </summary>
public sealed record SupervisionOptions
{
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public double BackoffFactor { get; init; } = 2.0;

    /// <summary>Fraction in [0, 1]; jitter only lengthens a delay so <see cref="MinBackoff"/> stays a lower bound.</summary>
    public double Jitter { get; init; } = 0.2;

    public int MaxRestarts { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        if (MinBackoff < TimeSpan.Zero || MaxBackoff < MinBackoff)
            throw new ArgumentException("Backoff needs 0 <= MinBackoff <= MaxBackoff.");
        if (BackoffFactor < 1.0 || double.IsNaN(BackoffFactor))
            throw new ArgumentException("BackoffFactor must be >= 1.");
        if (Jitter is < 0.0 or > 1.0 || double.IsNaN(Jitter))
            throw new ArgumentException("Jitter must be within [0, 1].");
        if (MaxRestarts < 0 || Window <= TimeSpan.Zero)
            throw new ArgumentException("MaxRestarts must be >= 0 and Window positive.");
    }
}
