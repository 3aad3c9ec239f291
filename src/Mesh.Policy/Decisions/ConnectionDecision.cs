using Mesh.Policy.Snapshots;

namespace Mesh.Policy.Decisions;

/// <summary>What to do with a connection.</summary>
public enum ConnectionVerdict
{
    /// <summary>Read the client's first bytes, then decide again with what they show.</summary>
    Sniff,

    /// <summary>Forward to the original destination.</summary>
    Allow,

    /// <summary>HTTP/1 on a port with http rules: decide every request on its own.</summary>
    InspectHttp,

    /// <summary>Close (reset) without ever connecting upstream.</summary>
    Deny,

    /// <summary>The identity can reach nothing at all: clients should see connection refused.</summary>
    Refuse,
}

/// <summary>Why a decision came out as it did; stable names for logs and metrics.</summary>
public enum DecisionReason
{
    ServerFirstRule,
    TlsHostRule,
    TlsAnyHostRule,
    TcpRule,
    Passthrough,
    HttpRulesOnPort,
    NeedsSniff,
    NoRuleForPort,
    NoMatchingRule,
    NothingReachable,
    HttpAllowedByHost,
    HttpAllowedByRoute,
    HttpNoMatchingRoute,
    HttpNoMatchingHost,

    /// <summary>HTTP/2 prior knowledge, or a sniff that ended undecided, on a port with http rules and no tcp rule.</summary>
    NotInspectableOnHttpPort,

    /// <summary>The Host names a rule's host with a port other than the destination port.</summary>
    HttpHostPortMismatch,
}

/// <summary>A connection-level decision: verdict, reason, and the rule that decided (null for passthrough and denials).</summary>
public readonly record struct ConnectionDecision(ConnectionVerdict Verdict, DecisionReason Reason, RuleRef? Rule)
{
    public override string ToString() => Rule is null ? $"{Verdict} ({Reason})" : $"{Verdict} ({Reason}, {Rule})";
}
