using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;

namespace Mesh.Policy.Explain;

/// <summary>
/// Explains a decision by walking the identity's compiled rules one by one, in the order of egress-semantics.md,
/// rather than through the snapshot's indexes: it is a second, readable implementation of the same steps, and tests
/// hold it to the hot path's verdicts. Pure; for <c>mesh egress explain</c>.
/// </summary>
public static class DecisionExplainer
{
    public static EgressExplanation Explain(ClusterState state, ExplainQuery query)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(query);
        var snapshot = SnapshotCompiler.Compile(state, query.From);
        var walk = new DecisionWalk(snapshot, query);
        var (connection, request) = walk.Decide();
        var verdict = VerdictOf(connection, request);
        var candidates = walk.OnPort.Select(r => RuleReasons.Explain(r, walk, connection, request)).ToList();
        var otherPorts = snapshot.Rules.Where(r => r.Ref.Port != query.Destination.Port)
            .Select(r => new RuleExplanation(r.Ref, RuleOutcome.NotApplicable, $"for port {r.Ref.Port}, not {query.Destination.Port}"))
            .ToList();
        return new EgressExplanation(query, verdict, ExplainSummary.Describe(query, verdict, connection, request), connection, request,
            candidates, otherPorts, Notes(state, snapshot, query, walk), walk.AddressesUnchecked);
    }

    private static ExplainVerdict VerdictOf(ConnectionDecision connection, RequestDecision? request) => connection.Verdict switch
    {
        ConnectionVerdict.Refuse => ExplainVerdict.Refused,
        ConnectionVerdict.Deny => ExplainVerdict.Denied,
        ConnectionVerdict.InspectHttp => request?.Verdict == RequestVerdict.NotFound ? ExplainVerdict.NotFound : ExplainVerdict.Allowed,
        _ => ExplainVerdict.Allowed,
    };

    private static List<string> Notes(ClusterState state, EgressSnapshot snapshot, ExplainQuery query, DecisionWalk walk)
    {
        var notes = new List<string>();
        var mesh = state.MeshConfig;
        var meshName = mesh.Source == SourceLocation.Unknown
            ? $"MeshConfig {mesh.Key.Namespace}/{mesh.Key.Name} does not exist (defaults apply)"
            : $"MeshConfig {mesh.Key.Namespace}/{mesh.Key.Name}";
        if (!mesh.EnableEgressPolicy)
        {
            var ignored = state.Egresses.Where(e => e.Sources.Contains(query.From)).Select(e => $"{e.Key.Namespace}/{e.Key.Name}").ToList();
            notes.Add($"{meshName}: enableEgressPolicy is false, so Egress policies are ignored" +
                (ignored.Count > 0 ? $" (including {string.Join(", ", ignored)}, which name {query.From})" : ""));
        }
        notes.Add(snapshot.EnableEgress
            ? $"{meshName}: enableEgress (passthrough) is on: what no rule matches goes to its original destination"
            : $"{meshName}: enableEgress (passthrough) is off: what no rule matches is denied");
        if (snapshot.Rules.Count == 0 && mesh.EnableEgressPolicy) notes.Add($"no Egress policy names {query.From}");
        notes.AddRange(snapshot.Issues);
        if (walk.AddressesUnchecked)
        {
            notes.Add("some rules are limited to address ranges and no destination address was given (--ip): " +
                "they were not checked, and the verdict assumes the destination lies outside them");
        }
        return notes;
    }
}
