using Mesh.Policy.Decisions;
using Mesh.Policy.Snapshots;
using Mesh.Protocols.Http;

namespace Mesh.Proxy.Observability;

/// <summary>
/// What a connection or a request came to, as <c>mesh_verdicts_total</c> counts it and the decision log writes it: its
/// <see cref="OutcomeLabels"/> (kind, verdict, reason) and the rule that decided, if one did. Made only here, from
/// labels made once per process, so counting or logging a decision makes no string (the hot path used to run
/// <c>Enum.ToString()</c> per connection and per request). The label strings are what users and tests read: they
/// are the names of the policy's verdicts and reasons, and the few the proxy adds below.
/// </summary>
internal readonly record struct Outcome(OutcomeLabels Labels, RuleRef? Rule)
{
    public const string ConnectionKind = "connection";

    public const string RequestKind = "request";

    private static readonly OutcomeLabels[][] ConnectionDecisions = ByVerdict<ConnectionVerdict>(ConnectionKind);
    private static readonly OutcomeLabels[][] RequestDecisions = ByVerdict<RequestVerdict>(RequestKind);
    private static readonly OutcomeLabels[] RevokedFor = ByReason<DecisionReason>(ConnectionKind, "Revoked");
    private static readonly OutcomeLabels[] ForbiddenFor = ByReason<DecisionReason>(ConnectionKind, "Forbidden");
    private static readonly OutcomeLabels[] RejectedFor = ByReason<HttpRejectReason>(RequestKind, "Rejected");

    /// <summary>No snapshot yet (fail closed): a transparent connection is refused (reset).</summary>
    public static Outcome RefusedWithoutSnapshot { get; } = new(new(ConnectionKind, "Refuse", "NoSnapshotYet"), null);

    /// <summary>No snapshot yet (fail closed): the forward-proxy listener answers 403.</summary>
    public static Outcome ForbiddenWithoutSnapshot { get; } = new(new(ConnectionKind, "Forbidden", "NoSnapshotYet"), null);

    /// <summary>Closed (not reset) by the idle sweep: nothing was refused, the connection went quiet.</summary>
    public static Outcome IdleClosed { get; } = new(new(ConnectionKind, "Closed", "IdleTimeout"), null);

    /// <summary>CONNECT on an inspected connection: a tunnel nobody would inspect (405).</summary>
    public static Outcome ConnectRejected { get; } = new(new(RequestKind, "Rejected", "ConnectOnInspectedConnection"), null);

    /// <summary>An upstream switched protocols although the forwarded request asked for no such switch (502).</summary>
    public static Outcome ProtocolSwitchRejected { get; } = new(new(RequestKind, "Rejected", "UnrequestedProtocolSwitch"), null);

    private static readonly OutcomeLabels UpstreamUnreachableLabels = new(ConnectionKind, "Allow", "UpstreamUnreachable");

    /// <summary>The decision's verdict and reason, and its rule.</summary>
    public static Outcome Of(ConnectionDecision decision) =>
        new(ConnectionDecisions[(int)decision.Verdict][(int)decision.Reason], decision.Rule);

    /// <summary>The decision's verdict and reason, and its rule.</summary>
    public static Outcome Of(RequestDecision decision) =>
        new(RequestDecisions[(int)decision.Verdict][(int)decision.Reason], decision.Rule);

    /// <summary>A live connection a new snapshot no longer allows, for <paramref name="reason"/>.</summary>
    public static Outcome Revoked(DecisionReason reason) => new(RevokedFor[(int)reason], null);

    /// <summary>The forward-proxy listener's 403: the decision on accept denied or refused, for <paramref name="reason"/>.</summary>
    public static Outcome Forbidden(DecisionReason reason) => new(ForbiddenFor[(int)reason], null);

    /// <summary>A request head (or path) refused before any decision, answered with an error and a close.</summary>
    public static Outcome Rejected(HttpRejectReason reason) => new(RejectedFor[(int)reason], null);

    /// <summary>Allowed by <paramref name="rule"/>, but the upstream connection failed: reset.</summary>
    public static Outcome UpstreamUnreachable(RuleRef? rule) => new(UpstreamUnreachableLabels, rule);

    // Tables indexed by the enums' values, which are their declaration order from 0 (OutcomeTests checks every member).
    private static OutcomeLabels[][] ByVerdict<TVerdict>(string kind) where TVerdict : struct, Enum =>
        [.. Enum.GetValues<TVerdict>().Select(verdict => ByReason<DecisionReason>(kind, verdict.ToString()))];

    private static OutcomeLabels[] ByReason<TReason>(string kind, string verdict) where TReason : struct, Enum =>
        [.. Enum.GetValues<TReason>().Select(reason => new OutcomeLabels(kind, verdict, reason.ToString()))];
}

/// <summary>
/// The label strings of an <see cref="Outcome"/>, one instance per combination, made once (by <see cref="Outcome"/>
/// only): equal labels are the same object, so a metric child is found by reference, not by hashing three strings.
/// </summary>
internal sealed class OutcomeLabels(string kind, string verdict, string reason)
{
    /// <summary><see cref="Outcome.ConnectionKind"/> or <see cref="Outcome.RequestKind"/>.</summary>
    public string Kind { get; } = kind;

    public string Verdict { get; } = verdict;

    public string Reason { get; } = reason;

    public bool IsRequest => ReferenceEquals(Kind, Outcome.RequestKind);

    public override string ToString() => $"{Kind} {Verdict} ({Reason})";
}
