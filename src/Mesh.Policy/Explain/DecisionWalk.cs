using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Policy.Explain;

/// <summary>The decision steps applied to a plain list of rules; also the checks <see cref="RuleReasons"/> reuses.</summary>
internal sealed class DecisionWalk
{
    private readonly EgressSnapshot _snapshot;

    public DecisionWalk(EgressSnapshot snapshot, ExplainQuery query)
    {
        _snapshot = snapshot;
        Query = query;
        OnPort = [.. snapshot.Rules.Where(r => r.Ref.Port == query.Destination.Port)];
    }

    public ExplainQuery Query { get; }

    /// <summary>The identity's rules for the destination port, in policy order.</summary>
    public IReadOnlyList<CompiledRule> OnPort { get; }

    public bool AddressesUnchecked { get; private set; }

    private int Port => Query.Destination.Port;

    public (ConnectionDecision Connection, RequestDecision? Request) Decide()
    {
        if (!_snapshot.EnableEgress && _snapshot.Rules.Count == 0) return (new(ConnectionVerdict.Refuse, DecisionReason.NothingReachable, null), null);
        if (OnPort.Count == 0)
        {
            return (_snapshot.EnableEgress
                ? new(ConnectionVerdict.Allow, DecisionReason.Passthrough, null)
                : new(ConnectionVerdict.Deny, DecisionReason.NoRuleForPort, null), null);
        }
        if (ByAddress(Of(EgressProtocol.TcpServerFirst)) is { } serverFirst)
        {
            return (new(ConnectionVerdict.Allow, DecisionReason.ServerFirstRule, serverFirst.Ref), null);
        }
        if (Query.Traffic == ExplainTraffic.Tls && DecideTls() is { } tls) return (tls, null);
        if (Query.Traffic == ExplainTraffic.Http && Of(EgressProtocol.Http).Count > 0)
        {
            return (new(ConnectionVerdict.InspectHttp, DecisionReason.HttpRulesOnPort, null), DecideRequest());
        }
        if (ByAddress(Of(EgressProtocol.Tcp)) is { } tcp) return (new(ConnectionVerdict.Allow, DecisionReason.TcpRule, tcp.Ref), null);
        return (_snapshot.EnableEgress
            ? new(ConnectionVerdict.Allow, DecisionReason.Passthrough, null)
            : new(ConnectionVerdict.Deny, DecisionReason.NoMatchingRule, null), null);
    }

    private ConnectionDecision? DecideTls()
    {
        var https = Of(EgressProtocol.Https);
        var sni = Query.Sni ?? "";
        if (sni.Length > 0)
        {
            foreach (var host in HostCandidates(https, sni))
            {
                if (ByAddress([.. https.Where(r => r.Hosts.Contains(host))]) is { } rule)
                {
                    return new(ConnectionVerdict.Allow, DecisionReason.TlsHostRule, rule.Ref);
                }
            }
        }
        if (ByAddress([.. https.Where(r => r.Hosts.Count == 0)]) is { } any) return new(ConnectionVerdict.Allow, DecisionReason.TlsAnyHostRule, any.Ref);
        return null;
    }

    private RequestDecision DecideRequest()
    {
        var http = Of(EgressProtocol.Http);
        if (HostName.TrySplit(Query.HostHeader, out var nameSpan, out var hostPort))
        {
            var name = nameSpan.ToString();
            var hostMatched = false;
            var headers = new ExplainHeaders(Query.HeaderList);
            foreach (var host in HostCandidates(http, name))
            {
                hostMatched = true;
                if (hostPort is { } p && p != Port) return new(RequestVerdict.NotFound, DecisionReason.HttpHostPortMismatch, null, null, null);
                var upstream = host.IsWildcard ? null : host.Text;
                var forHost = http.Where(r => r.Hosts.Contains(host)).ToList();
                if (forHost.FirstOrDefault(r => r.Routes is null) is { } all)
                {
                    return new(RequestVerdict.AllowToHost, DecisionReason.HttpAllowedByHost, all.Ref, upstream, null);
                }
                foreach (var rule in forHost)
                {
                    foreach (var route in rule.Routes ?? [])
                    {
                        if (route.Matches(Query.Method, Query.PathWithoutQuery, ref headers))
                        {
                            return new(RequestVerdict.AllowToHost, DecisionReason.HttpAllowedByRoute, rule.Ref, upstream, route);
                        }
                    }
                }
            }
            if (hostMatched) return new(RequestVerdict.NotFound, DecisionReason.HttpNoMatchingRoute, null, null, null);
        }
        if (ByAddress(Of(EgressProtocol.Tcp)) is { } tcp) return new(RequestVerdict.AllowToOriginalDestination, DecisionReason.TcpRule, tcp.Ref, null, null);
        return _snapshot.EnableEgress
            ? new(RequestVerdict.AllowToOriginalDestination, DecisionReason.Passthrough, null, null, null)
            : new(RequestVerdict.NotFound, DecisionReason.HttpNoMatchingHost, null, null, null);
    }

    public List<CompiledRule> Of(EgressProtocol protocol) => [.. OnPort.Where(r => r.Ref.Protocol == protocol)];

    /// <summary>
    /// The rule whose ranges contain the destination most specifically (the earlier policy on a tie), else the first
    /// rule without ranges. Without a destination address, ranged rules cannot be checked and are passed over.
    /// </summary>
    public CompiledRule? ByAddress(IReadOnlyList<CompiledRule> rules)
    {
        if (Query.Destination.Address is { } address)
        {
            var best = rules
                .SelectMany(r => r.IPAddresses.Where(c => c.Contains(address)).Select(c => (Rule: r, c.PrefixLength)))
                .OrderByDescending(m => m.PrefixLength)
                .Select(m => m.Rule)
                .FirstOrDefault();
            if (best is not null) return best;
        }
        else if (rules.Any(r => r.IPAddresses.Count > 0))
        {
            AddressesUnchecked = true;
        }
        return rules.FirstOrDefault(r => r.IPAddresses.Count == 0);
    }

    /// <summary>The host patterns of <paramref name="rules"/> that match <paramref name="name"/>: exact first, then wildcards, longest suffix first.</summary>
    public static IEnumerable<HostPattern> HostCandidates(IEnumerable<CompiledRule> rules, string name) =>
        rules.SelectMany(r => r.Hosts).Distinct()
            .Where(h => h.Matches(name))
            .OrderBy(h => h.IsWildcard)
            .ThenByDescending(h => h.Text.Length);
}
