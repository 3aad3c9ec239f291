using Mesh.Deploy.Manifests;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Injection;

/// <summary>What injection needs to know: the installation (image, ports, controllers' address) and the mesh-wide exclusions.</summary>
internal sealed record InjectionSettings(InstallValues Values, MeshTraffic Traffic)
{
    public MeshNames Names { get; } = new(Values);

    /// <summary>As <c>mesh install</c> would set things up, with the default MeshConfig's exclusions.</summary>
    public static InjectionSettings From(InstallValues values) => new(values, MeshTraffic.From(values));
}
