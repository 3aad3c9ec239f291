using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Mesh.Actors.TestKit;

/// <summary>Polls a condition until it holds or a time bound passes: the replacement for "sleep, then assert".</summary>
public static class Eventually
{
    public static async Task TrueAsync(
        Func<bool> condition,
        TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(condition))] string? description = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var within = timeout is { } given ? TestKitSettings.Dilate(given) : TestKitSettings.DefaultTimeout;
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > within)
                throw new ExpectationFailedException($"Condition still false after {within}: {description}");
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
    }
}
