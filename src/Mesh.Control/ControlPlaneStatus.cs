using Mesh.Control.Validation;
using Mesh.Policy.State;

namespace Mesh.Control;

/// <summary>What the control plane holds right now: the objects in force and the verdict on what its sources read.</summary>
public sealed record ControlPlaneStatus(bool Synced, ClusterState? Applied, ValidationReport Validation);
