using System.Globalization;

namespace Mesh.Tests.Shared;

/// <summary>
/// Time bounds of the tests. Every bound is multiplied by <c>MESH_TEST_TIMEFACTOR</c> (default 1; Akka's TestKit gets the
/// same factor as <c>akka.test.timefactor</c>), so a loaded CI machine stretches them all without touching a test: the
/// limits of waits on a condition, and the windows over which a negative check watches for silence. Linked into every
/// test project, the end-to-end one included.
/// </summary>
internal static class TestTime
{
    public const string FactorVariable = "MESH_TEST_TIMEFACTOR";

    /// <summary>
    /// Unset, unparsable or below-1 values mean 1: a typo cannot shrink every timeout to zero, and no factor shortens
    /// the window a negative check watches.
    /// </summary>
    public static double Factor { get; } =
        double.TryParse(Environment.GetEnvironmentVariable(FactorVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var factor)
        && factor >= 1 && double.IsFinite(factor) ? factor : 1.0;

    public static TimeSpan Dilate(TimeSpan span) => span * Factor;
}
