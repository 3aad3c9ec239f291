using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Conversion;

/// <summary>Reasons of an object's <c>Accepted</c> condition.</summary>
public static class VerdictReason
{
    /// <summary>Valid and in force.</summary>
    public const string Accepted = "Accepted";

    /// <summary>A field is invalid: this version does not take effect (the message names the field, and the version kept if any).</summary>
    public const string Invalid = "Invalid";

    /// <summary>Valid, but an object of the same namespace and name in a group that takes precedence is in force.</summary>
    public const string Shadowed = "Shadowed";
}

/// <summary>
/// What Mesh made of one API object, for its status: accepted or not, why, and for which generation. Equal verdicts
/// mean nothing to write.
/// </summary>
/// <param name="AcceptedSpec">For an accepted object, its spec as JSON text: what the status writer records as
/// <see cref="LastAcceptedSpec"/>. Null otherwise.</param>
/// <param name="KeptGeneration">For an invalid object whose last accepted spec (generation n, from its status) stays
/// in force: n. Null otherwise.</param>
/// <param name="Observed">The object as last listed or watched, status included: the status writer compares what it
/// wants with it before reading the object again (after a start or a hand-over, every object is listed already). Not
/// part of the verdict's equality: a write to the status alone (the writer's own, above all) is no new verdict.</param>
public sealed record ObjectVerdict(
    WatchedResource Source,
    ObjectKey Key,
    long Generation,
    bool Accepted,
    string Reason,
    string Message,
    string? AcceptedSpec = null,
    long? KeptGeneration = null,
    KubeObject? Observed = null)
{
    public bool Equals(ObjectVerdict? other) =>
        other is not null && Source == other.Source && Key == other.Key && Generation == other.Generation && Accepted == other.Accepted &&
        Reason == other.Reason && Message == other.Message && AcceptedSpec == other.AcceptedSpec && KeptGeneration == other.KeptGeneration;

    public override int GetHashCode() => HashCode.Combine(Source, Key, Generation, Accepted, Reason, Message, AcceptedSpec, KeptGeneration);

    /// <summary>Some version of this object is in force: this one (accepted) or the last accepted one.</summary>
    public bool InForce => Accepted || KeptGeneration is not null;

    public override string ToString() => $"{Source.Name} {Key} (generation {Generation}): {(Accepted ? "accepted" : $"not accepted, {Reason}: {Message}")}";
}
