using Mesh.E2E.World;

namespace Mesh.E2E.Adversarial;

/// <summary>Time bounds of the adversarial cases, dilated by MESH_TEST_TIMEFACTOR on a loaded machine (<see cref="TestTime"/>).</summary>
internal static class TimeBounds
{
    /// <summary>How long an answer (or the end of a connection) may take to arrive, before dilation (for <see cref="Eventually"/>).</summary>
    public static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(5);

    /// <summary>How long an answer (or the end of a connection) may take to arrive.</summary>
    public static TimeSpan Answer { get; } = TestTime.Dilate(AnswerLimit);

    /// <summary>
    /// How long a connection is watched for more bytes, or its end, before a case takes what it has: the quiet period
    /// of <see cref="Eventually.QuietPeriod"/>, dilated.
    /// </summary>
    public static TimeSpan Quiet { get; } = TestTime.Dilate(Eventually.QuietPeriod);
}
