using System.Globalization;

namespace Mesh.E2E.Adversarial;

/// <summary>Time bounds of the adversarial cases, dilated by MESH_TEST_TIMEFACTOR on a loaded machine.</summary>
internal static class TimeBounds
{
    private static readonly double Factor =
        double.TryParse(Environment.GetEnvironmentVariable("MESH_TEST_TIMEFACTOR"), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f >= 1 ? f : 1;

    /// <summary>How long an answer (or the end of a connection) may take to arrive.</summary>
    public static TimeSpan Answer { get; } = Dilate(TimeSpan.FromSeconds(5));

    /// <summary>
    /// How long a denied attempt is given to show up at the origin anyway before the case calls it clean. The proxy
    /// connects upstream before it forwards a byte, so anything forwarded is logged within this.
    /// </summary>
    public static TimeSpan Quiet { get; } = Dilate(TimeSpan.FromMilliseconds(300));

    public static TimeSpan Dilate(TimeSpan span) => span * Factor;
}
