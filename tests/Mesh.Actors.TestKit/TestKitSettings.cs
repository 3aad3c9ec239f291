using System.Globalization;

namespace Mesh.Actors.TestKit;

/// <summary>
/// Default time bounds of the test kit. Every bound is multiplied by <c>MESH_TEST_TIMEFACTOR</c> (default 1)
/// so a slow CI machine can stretch them all without touching a test.
/// </summary>
public static class TestKitSettings
{
    public const string TimeFactorVariable = "MESH_TEST_TIMEFACTOR";

    public static double TimeFactor { get; } = ParseTimeFactor(Environment.GetEnvironmentVariable(TimeFactorVariable));

    /// <summary>How long an expectation waits for a message unless told otherwise: 3 s, dilated.</summary>
    public static TimeSpan DefaultTimeout { get; } = Dilate(TimeSpan.FromSeconds(3));

    /// <summary>How long <c>ExpectNoMessageAsync</c> listens unless told otherwise: 100 ms, dilated.</summary>
    public static TimeSpan DefaultNoMessageDuration { get; } = Dilate(TimeSpan.FromMilliseconds(100));

    public static TimeSpan Dilate(TimeSpan span) => span * TimeFactor;

    /// <summary>Unset, unparsable or non-positive values mean 1, so a typo cannot shrink every timeout to zero.</summary>
    internal static double ParseTimeFactor(string? raw) =>
        double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0 && double.IsFinite(factor)
            ? factor
            : 1.0;
}
