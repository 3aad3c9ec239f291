namespace Mesh.Kubernetes.Reflection;

/// <summary>
/// The reflector's timing. Defaults are client-go's where it has one (backoff 0.8 s to 30 s reset after 2 min,
/// watch timeout 5 to 10 min, list pages of 500).
/// </summary>
public sealed record ReflectorOptions
{
    public static ReflectorOptions Default { get; } = new();

    /// <summary>Objects per list page (<c>limit</c>); the rest follows with <c>continue</c>.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Each watch asks the server to close it after a random time in [min, max] (client-go: 5-10 min).</summary>
    public TimeSpan WatchTimeoutMin { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan WatchTimeoutMax { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long after the asked-for timeout the reflector closes a watch itself, in case the server does not
    /// (a proxy between them may hold it open).
    /// </summary>
    public TimeSpan WatchTimeoutGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the API server is expected to send a bookmark on a quiet watch. kube-apiserver sends one about
    /// every minute to watchers that allow them.
    /// </summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A watch that sends no event (bookmarks count) and does not close for this long is taken as stalled, closed
    /// and opened again from the last resourceVersion. Default: two bookmark intervals.
    /// </summary>
    public TimeSpan? StallTimeout { get; init; }

    public TimeSpan EffectiveStallTimeout => StallTimeout ?? (BookmarkInterval * 2);

    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Relative jitter of each delay: 0.2 means ±20 % (then clamped to [initial, max]).</summary>
    public double BackoffJitter { get; init; } = 0.2;

    /// <summary>After this long without a failure the backoff starts again from the initial delay.</summary>
    public TimeSpan BackoffReset { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>401/403 are retried, slowly: never sooner than this (the operator has to fix RBAC first).</summary>
    public TimeSpan AuthRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retry-After values above this are cut to it, so a confused server cannot park the reflector for hours.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch that ends with no event within this span counts as "short"; several in a row back off.</summary>
    public TimeSpan ShortWatch { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many short watches in a row are tolerated before backing off.</summary>
    public int ShortWatchesBeforeBackoff { get; init; } = 3;
}
