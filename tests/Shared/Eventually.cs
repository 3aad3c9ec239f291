using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Mesh.Tests.Shared;

/// <summary>Polls a condition until it holds or a (dilated) bound passes: the replacement for "sleep, then assert".</summary>
internal static class Eventually
{
    public static async Task TrueAsync(
        Func<bool> condition,
        TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(condition))] string? description = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await TrueAsync(() => Task.FromResult(condition()), timeout, description);
    }

    public static async Task TrueAsync(
        Func<Task<bool>> condition,
        TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(condition))] string? description = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var within = TestTime.Dilate(timeout ?? TimeSpan.FromSeconds(3));
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > within)
                throw new Xunit.Sdk.XunitException($"Condition still false after {within}: {description}");
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
    }
}
