using Mesh.Control.Validation;
using Mesh.Policy.State;

namespace Mesh.Control;

/// <summary>
/// What the control plane holds right now: whether every source has been read and published (ready), the objects in
/// force, the verdict on what its sources read (on Kubernetes, objects of namespaces outside the mesh left out), and
/// what keeps a source from reading now (<see cref="Problems"/>: a 403 naming what to grant, say; empty when healthy).
/// </summary>
public sealed record ControlPlaneStatus(bool Synced, ClusterState? Applied, ValidationReport Validation)
{
    public IReadOnlyList<string> Problems { get; init; } = [];
}
