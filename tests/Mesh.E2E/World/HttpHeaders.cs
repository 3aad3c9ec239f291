namespace Mesh.E2E.World;

/// <summary>Header names the tests look for.</summary>
public static class HttpHeaders
{
    /// <summary>Set by the origin on every answer (Mesh.E2E.Origin's HttpbinHandler): absent means "not from the origin".</summary>
    public const string Origin = "X-Mesh-E2E-Origin";
}
