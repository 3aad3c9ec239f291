using Mesh.Policy.Decisions;
using Mesh.Policy.Snapshots;

namespace Mesh.Policy.Explain;

/// <summary>The outcome as a client would see it.</summary>
public enum ExplainVerdict
{
    Allowed,

    /// <summary>The connection is reset without an upstream connection.</summary>
    Denied,

    /// <summary>The identity can reach nothing: connection refused.</summary>
    Refused,

    /// <summary>The HTTP request is answered <c>404 Not Found</c> by the proxy.</summary>
    NotFound,
}

/// <summary>
/// Why a connection (and request) from an identity is allowed or not: the decision the proxy would take, the rule
/// that decided, and for every other rule of the identity why it did not.
/// </summary>
public sealed record EgressExplanation(
    ExplainQuery Query,
    ExplainVerdict Verdict,
    string Summary,
    ConnectionDecision Connection,
    RequestDecision? Request,
    IReadOnlyList<RuleExplanation> Candidates,
    IReadOnlyList<RuleExplanation> OtherPorts,
    IReadOnlyList<string> Notes,
    bool AddressesUnchecked)
{
    public bool IsAllowed => Verdict == ExplainVerdict.Allowed;

    public RuleRef? DecidingRule => Request?.Rule ?? Connection.Rule;

    public CompiledRoute? DecidingRoute => Request?.Route;
}
