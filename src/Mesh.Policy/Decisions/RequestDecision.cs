using Mesh.Policy.Snapshots;

namespace Mesh.Policy.Decisions;

/// <summary>What to do with one HTTP request on an inspected connection.</summary>
public enum RequestVerdict
{
    /// <summary>Forward to the rule's host, resolved by DNS, at the destination port (never the original IP).</summary>
    AllowToHost,

    /// <summary>No http rule matched the host, but a tcp rule or passthrough lets the request reach the original destination.</summary>
    AllowToOriginalDestination,

    /// <summary>Answer <c>404 Not Found</c> locally; the connection stays usable.</summary>
    NotFound,
}

/// <summary>
/// A request-level decision. <see cref="UpstreamHost"/> is the host to resolve for <see cref="RequestVerdict.AllowToHost"/>:
/// the rule's exact host, or null when a wildcard rule matched (then the request's own Host name is the one to resolve;
/// it is known to lie below the wildcard's domain).
/// </summary>
public readonly record struct RequestDecision(
    RequestVerdict Verdict,
    DecisionReason Reason,
    RuleRef? Rule,
    string? UpstreamHost,
    CompiledRoute? Route)
{
    public override string ToString() =>
        Rule is null ? $"{Verdict} ({Reason})" : $"{Verdict} ({Reason}, {Rule}{(Route is null ? "" : $", route {Route.Group}/{Route.Name}")})";
}
