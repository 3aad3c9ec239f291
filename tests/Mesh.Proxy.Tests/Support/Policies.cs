using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Proxy.Tests.Support;

/// <summary>The identity the tests' proxy serves, and the snapshot it gets from manifest text (<see cref="ManifestText"/>).</summary>
internal static class Policies
{
    public static readonly ServiceAccountIdentity Curl = new("curl", "curl");

    public static EgressSnapshot Compile(params string[] manifests) => SnapshotCompiler.Compile(ManifestState.Load(manifests), Curl);
}
