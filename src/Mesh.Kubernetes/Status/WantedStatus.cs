using Mesh.Kubernetes.Conversion;

namespace Mesh.Kubernetes.Status;

/// <summary>
/// The status Mesh wants on an Egress: its conditions (other controllers' are left alone), the condition types of
/// Mesh's to remove if present, and the last accepted spec to record (null: leave what is recorded as it is).
/// </summary>
public sealed record WantedStatus(IReadOnlyList<StatusCondition> Conditions, IReadOnlyList<string> Removed, LastAcceptedSpec? LastAccepted)
{
    public static WantedStatus Of(AcceptedCondition accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        return new([accepted.ToCondition()], [], null);
    }

    /// <summary>Same wish: equal conditions (in order), removals and record.</summary>
    public bool Same(WantedStatus? other) =>
        other is not null && Conditions.SequenceEqual(other.Conditions) && Removed.SequenceEqual(other.Removed) && LastAccepted == other.LastAccepted;

    public override string ToString() =>
        string.Join(", ", Conditions.Select(c => $"{c.Type}={c.StatusText} ({c.Reason})")) + (LastAccepted is { } l ? $", lastAccepted generation {l.Generation}" : "");
}
