namespace Mesh.Actors.TestKit;

/// <summary>Distinct default probe names across all message types, so failure messages say which probe failed.</summary>
internal static class ProbeNames
{
    private static int s_next;

    public static string Next() => "probe-" + Interlocked.Increment(ref s_next);
}
