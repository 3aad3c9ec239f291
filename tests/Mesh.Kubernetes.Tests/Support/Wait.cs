using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Mesh.Kubernetes.Tests.Support;

/// <summary>Waits for conditions (never fixed sleeps); every bound is stretched by MESH_TEST_TIMEFACTOR (<see cref="TestTime"/>).</summary>
internal static class Wait
{
    public static TimeSpan Default => TestTime.Dilate(TimeSpan.FromSeconds(10));

    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(condition))] string? what = null)
    {
        var within = timeout is { } t ? TestTime.Dilate(t) : Default;
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > within) throw new TimeoutException($"still false after {within}: {what}");
            await Task.Delay(5);
        }
    }

    /// <summary>
    /// Waits for a condition while moving a fake clock forward one step per poll: for when the code under test
    /// starts a timer at a moment the test cannot observe.
    /// </summary>
    public static async Task UntilAdvancingAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan step, Func<bool> condition,
        TimeSpan? timeout = null, [CallerArgumentExpression(nameof(condition))] string? what = null)
    {
        var within = timeout is { } t ? TestTime.Dilate(t) : Default;
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > within) throw new TimeoutException($"still false after {within}: {what}");
            time.Advance(step);
            await Task.Delay(5);
        }
    }

    /// <summary>Holds for a while: used only to show something does NOT happen (bounded, dilated).</summary>
    public static async Task StaysFalseAsync(Func<bool> condition, TimeSpan span, [CallerArgumentExpression(nameof(condition))] string? what = null)
    {
        var until = Stopwatch.GetTimestamp() + (long)(TestTime.Dilate(span).TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (condition()) throw new InvalidOperationException($"became true: {what}");
            await Task.Delay(5);
        }
    }
}
