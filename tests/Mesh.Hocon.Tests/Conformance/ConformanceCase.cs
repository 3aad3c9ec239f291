namespace Mesh.Hocon.Tests.Conformance;

/// <summary>
/// One expectation from the conformance README: a name (used in CONFORMANCE.md), the README's grade
/// (A asserted upstream, D derived, ? uncertain) and a check that throws when the expectation fails.
/// </summary>
internal sealed record ConformanceCase(string Name, string Grade, Action Check)
{
    /// <returns>Null when the case passes, otherwise the reason.</returns>
    public string? Run()
    {
        try
        {
            Check();
            return null;
        }
#pragma warning disable CA1031 // Any failure of a case, whatever its type, is reported for that case.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
        }
    }
}
