using System.Diagnostics;

namespace Mesh.E2E.World;

/// <summary>
/// Bounded polling for effects that happen asynchronously (a manifest change reaching the proxy), and for the silence
/// a negative check watches (a denied attempt reaching no origin). Every bound is dilated by MESH_TEST_TIMEFACTOR
/// (<see cref="TestTime"/>). Both return the last look either way; the caller's assertion on it is what fails, with the
/// real outcome in the message.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan ConfigChangeLimit = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long (before dilation) a denied attempt is given to show up at an origin anyway before a case calls it
    /// clean. The proxy connects upstream before it forwards a byte, and the origins log a connection when they accept
    /// it, so anything the proxy let through is logged within this.
    /// </summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(300);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan QuietPause = TimeSpan.FromMilliseconds(20);

    /// <summary>Attempts until <paramref name="done"/> holds or the (dilated) limit passes; returns the last attempt.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> attempt, Func<T, bool> done, TimeSpan? limit = null)
    {
        var within = TestTime.Dilate(limit ?? ConfigChangeLimit);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var result = await attempt();
            if (done(result) || Stopwatch.GetElapsedTime(started) >= within) return result;
            await Task.Delay(Pause);
        }
    }

    /// <summary>
    /// Watches <paramref name="seen"/> (what an origin logged since a mark) over the dilated quiet period and returns it
    /// as soon as <paramref name="broken"/> holds (the negative check will fail on it), else once the period has passed
    /// without: a negative check fails at once, and passes only after the whole window.
    /// </summary>
    public static async Task<IReadOnlyList<T>> QuietAsync<T>(Func<IReadOnlyList<T>> seen, Func<IReadOnlyList<T>, bool> broken, TimeSpan? period = null)
    {
        var within = TestTime.Dilate(period ?? QuietPeriod);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var entries = seen();
            if (broken(entries) || Stopwatch.GetElapsedTime(started) >= within) return entries;
            await Task.Delay(QuietPause);
        }
    }

    /// <summary><see cref="QuietAsync{T}(Func{IReadOnlyList{T}}, Func{IReadOnlyList{T}, bool}, TimeSpan?)"/> where any entry at all breaks the silence.</summary>
    public static Task<IReadOnlyList<T>> QuietAsync<T>(Func<IReadOnlyList<T>> seen) => QuietAsync(seen, entries => entries.Count > 0);
}
