using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Mesh.Tests.Shared;

/// <summary>
/// Time bounds of the tests. Every bound is multiplied by <c>MESH_TEST_TIMEFACTOR</c> (default 1; Akka's TestKit gets the
/// same factor as <c>akka.test.timefactor</c>), so a loaded CI machine stretches them all without touching a test.
/// </summary>
internal static class TestTime
{
    public const string FactorVariable = "MESH_TEST_TIMEFACTOR";

    /// <summary>Unset, unparsable or non-positive values mean 1, so a typo cannot shrink every timeout to zero.</summary>
    public static double Factor { get; } =
        double.TryParse(Environment.GetEnvironmentVariable(FactorVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var factor)
        && factor > 0 && double.IsFinite(factor) ? factor : 1.0;

    public static TimeSpan Dilate(TimeSpan span) => span * Factor;
}

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
