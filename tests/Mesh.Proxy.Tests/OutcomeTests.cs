using Mesh.Policy.Decisions;
using Mesh.Protocols.Http;
using Mesh.Proxy.Observability;

namespace Mesh.Proxy.Tests;

/// <summary>
/// The labels of mesh_verdicts_total and of the decision log's verdict and reason: the names of the policy's verdicts
/// and reasons (every member, so the tables behind them cover each enum), and the proxy's own few, made once each.
/// </summary>
public sealed class OutcomeTests
{
    [Fact]
    public void Every_connection_and_request_decision_is_labelled_with_its_verdict_and_reason_names()
    {
        foreach (var reason in Enum.GetValues<DecisionReason>())
        {
            foreach (var verdict in Enum.GetValues<ConnectionVerdict>())
            {
                var outcome = Outcome.Of(new ConnectionDecision(verdict, reason, null));
                AssertLabels(("connection", verdict.ToString(), reason.ToString()), outcome);
                Assert.Same(outcome.Labels, Outcome.Of(new ConnectionDecision(verdict, reason, null)).Labels);
            }
            foreach (var verdict in Enum.GetValues<RequestVerdict>())
            {
                var outcome = Outcome.Of(new RequestDecision(verdict, reason, null, null, null));
                AssertLabels(("request", verdict.ToString(), reason.ToString()), outcome);
                Assert.True(outcome.Labels.IsRequest);
            }
            AssertLabels(("connection", "Revoked", reason.ToString()), Outcome.Revoked(reason));
            AssertLabels(("connection", "Forbidden", reason.ToString()), Outcome.Forbidden(reason));
        }
        foreach (var reason in Enum.GetValues<HttpRejectReason>())
        {
            AssertLabels(("request", "Rejected", reason.ToString()), Outcome.Rejected(reason));
        }
    }

    [Fact]
    public void The_proxys_own_outcomes_keep_their_names()
    {
        AssertLabels(("connection", "Refuse", "NoSnapshotYet"), Outcome.RefusedWithoutSnapshot);
        AssertLabels(("connection", "Forbidden", "NoSnapshotYet"), Outcome.ForbiddenWithoutSnapshot);
        AssertLabels(("connection", "Closed", "IdleTimeout"), Outcome.IdleClosed);
        AssertLabels(("connection", "Allow", "UpstreamUnreachable"), Outcome.UpstreamUnreachable(null));
        AssertLabels(("request", "Rejected", "ConnectOnInspectedConnection"), Outcome.ConnectRejected);
        AssertLabels(("request", "Rejected", "UnrequestedProtocolSwitch"), Outcome.ProtocolSwitchRejected);
        Assert.False(Outcome.IdleClosed.Labels.IsRequest);
    }

    private static void AssertLabels((string Kind, string Verdict, string Reason) expected, Outcome outcome)
    {
        Assert.Equal(expected, (outcome.Labels.Kind, outcome.Labels.Verdict, outcome.Labels.Reason));
        Assert.Null(outcome.Rule);
    }
}
