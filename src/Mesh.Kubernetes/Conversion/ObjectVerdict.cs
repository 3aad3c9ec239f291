using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Conversion;

/// <summary>Reasons of an object's <c>Accepted</c> condition.</summary>
public static class VerdictReason
{
    /// <summary>Valid and in force.</summary>
    public const string Accepted = "Accepted";

    /// <summary>A field is invalid: the object does not take effect (the message names the field).</summary>
    public const string Invalid = "Invalid";

    /// <summary>Valid, but an object of the same namespace and name in a group that takes precedence is in force.</summary>
    public const string Shadowed = "Shadowed";
}

/// <summary>
/// What Mesh made of one API object, for its <c>Accepted</c> status condition: accepted or not, why, and for which
/// generation. Equal verdicts mean nothing to write.
/// </summary>
public sealed record ObjectVerdict(
    WatchedResource Source,
    ObjectKey Key,
    long Generation,
    bool Accepted,
    string Reason,
    string Message)
{
    public override string ToString() => $"{Source.Name} {Key} (generation {Generation}): {(Accepted ? "accepted" : $"not accepted, {Reason}: {Message}")}";
}
