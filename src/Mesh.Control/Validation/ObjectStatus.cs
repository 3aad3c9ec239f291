using Mesh.Policy.Loading;
using Mesh.Policy.Model;

namespace Mesh.Control.Validation;

/// <summary>One object as one file defines it, and why it is (or is not) in force.</summary>
public sealed record ObjectStatus(ResourceKey Key, string File, ObjectState State, IReadOnlyList<ValidationError> Errors)
{
    public bool IsInForce => State is ObjectState.Accepted or ObjectState.RejectedKeepingPrevious or ObjectState.KeptFromUnreadableFile;

    public override string ToString() => $"{Key} ({File}): {State}";
}
