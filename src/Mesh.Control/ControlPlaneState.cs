using Mesh.Control.Validation;
using Mesh.Policy.State;

namespace Mesh.Control;

/// <summary>
/// The latest results the actors publish for readers outside them (the facade, <c>explain</c>) and for their own
/// next incarnation: immutable values swapped atomically, so reading needs no message round trip.
/// </summary>
internal sealed class ControlPlaneState
{
    private volatile ClusterState? _applied;
    private volatile ValidationReport _validation = ValidationReport.Empty;

    /// <summary>The state the aggregator last applied in full; null until the first complete sync.</summary>
    public ClusterState? Applied
    {
        get => _applied;
        set => _applied = value;
    }

    public ValidationReport Validation
    {
        get => _validation;
        set => _validation = value ?? ValidationReport.Empty;
    }
}
