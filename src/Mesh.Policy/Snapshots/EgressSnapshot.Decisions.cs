using Mesh.Policy.Decisions;
using Mesh.Policy.Model;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// The decision steps of egress-semantics.md: server-first ports, then sniffed TLS / HTTP / opaque, then tcp rules,
/// then passthrough, else deny. Every method here is on the hot path and allocates nothing.
/// </summary>
public sealed partial class EgressSnapshot
{
    /// <summary>Step 1, on accept: decide what can be decided before reading a byte.</summary>
    public ConnectionDecision DecideOnAccept(NetAddress destination, int port)
    {
        if (!CanReachAnything) return new(ConnectionVerdict.Refuse, DecisionReason.NothingReachable, null);
        if (!_ports.TryGetValue(port, out var rules))
        {
            return EnableEgress
                ? new(ConnectionVerdict.Sniff, DecisionReason.NeedsSniff, null)
                : new(ConnectionVerdict.Deny, DecisionReason.NoRuleForPort, null);
        }
        if (rules.ServerFirst?.Lookup(destination) is { } serverFirst)
        {
            return new(ConnectionVerdict.Allow, DecisionReason.ServerFirstRule, serverFirst);
        }
        return new(ConnectionVerdict.Sniff, DecisionReason.NeedsSniff, null);
    }

    /// <summary>Steps 3-7, once the first bytes are known. <paramref name="sni"/> is empty when the hello had none.</summary>
    public ConnectionDecision DecideSniffed(NetAddress destination, int port, SniffedProtocol protocol, ReadOnlySpan<char> sni)
    {
        if (!CanReachAnything) return new(ConnectionVerdict.Refuse, DecisionReason.NothingReachable, null);
        _ports.TryGetValue(port, out var rules);
        if (rules is not null)
        {
            if (protocol == SniffedProtocol.Tls && MatchTls(rules, destination, sni) is { } tls) return tls;
            if (protocol == SniffedProtocol.Http1 && rules.HasHttp)
            {
                return new(ConnectionVerdict.InspectHttp, DecisionReason.HttpRulesOnPort, null);
            }
            if (rules.Tcp?.Lookup(destination) is { } tcp) return new(ConnectionVerdict.Allow, DecisionReason.TcpRule, tcp);

            // Step 4: what could be HTTP nobody inspects (HTTP/2, or bytes that never settled) does not pass by passthrough.
            if (rules.HasHttp && protocol is SniffedProtocol.Http2Cleartext or SniffedProtocol.Undecided)
            {
                return new(ConnectionVerdict.Deny, DecisionReason.NotInspectableOnHttpPort, null);
            }
        }
        return EnableEgress
            ? new(ConnectionVerdict.Allow, DecisionReason.Passthrough, null)
            : new(ConnectionVerdict.Deny, rules is null ? DecisionReason.NoRuleForPort : DecisionReason.NoMatchingRule, null);
    }

    private static ConnectionDecision? MatchTls(PortRules rules, NetAddress destination, ReadOnlySpan<char> sni)
    {
        if (rules.HttpsHosts is { } hosts && !sni.IsEmpty)
        {
            foreach (var candidate in hosts.Candidates(sni))
            {
                if (candidate.Lookup(destination) is { } rule) return new(ConnectionVerdict.Allow, DecisionReason.TlsHostRule, rule);
            }
        }
        if (rules.HttpsAnyHost?.Lookup(destination) is { } any)
        {
            return new(ConnectionVerdict.Allow, DecisionReason.TlsAnyHostRule, any);
        }
        return null;
    }

    /// <summary>
    /// Step 4, for each request on an inspected connection. <paramref name="host"/> is the Host header (or the
    /// absolute-form authority), with or without <c>:port</c>; <paramref name="path"/> excludes the query string.
    /// </summary>
    public RequestDecision DecideRequest<THeaders>(
        NetAddress destination, int port, ReadOnlySpan<char> host, ReadOnlySpan<char> method, ReadOnlySpan<char> path, ref THeaders headers)
        where THeaders : IRequestHeaders, allows ref struct
    {
        _ports.TryGetValue(port, out var rules);
        if (rules?.HttpHosts is { } table && HostName.TrySplit(host, out var name, out var hostPort))
        {
            var hostMatched = false;
            foreach (var candidate in table.Candidates(name))
            {
                hostMatched = true;
                // A rule's host with another port ("httpbin.org:8080" arriving on 80) is still that host: its policy
                // holds, and nothing allows the mismatch (passthrough would let an origin that ignores the port serve it).
                if (hostPort is { } p && p != port) return new(RequestVerdict.NotFound, DecisionReason.HttpHostPortMismatch, null, null, null);
                var upstream = candidate.Host.IsWildcard ? null : candidate.Host.Text;
                if (candidate.AllowAll is { } all)
                {
                    return new(RequestVerdict.AllowToHost, DecisionReason.HttpAllowedByHost, all, upstream, null);
                }
                foreach (var (rule, routes) in candidate.Routed)
                {
                    foreach (var route in routes)
                    {
                        if (route.Matches(method, path, ref headers))
                        {
                            return new(RequestVerdict.AllowToHost, DecisionReason.HttpAllowedByRoute, rule, upstream, route);
                        }
                    }
                }
            }
            // A policy for this host exists: its routes are enforced even when passthrough is on.
            if (hostMatched) return new(RequestVerdict.NotFound, DecisionReason.HttpNoMatchingRoute, null, null, null);
        }
        if (rules?.Tcp?.Lookup(destination) is { } tcp)
        {
            return new(RequestVerdict.AllowToOriginalDestination, DecisionReason.TcpRule, tcp, null, null);
        }
        return EnableEgress
            ? new(RequestVerdict.AllowToOriginalDestination, DecisionReason.Passthrough, null, null, null)
            : new(RequestVerdict.NotFound, DecisionReason.HttpNoMatchingHost, null, null, null);
    }

    internal bool TryGetPort(int port, out PortRules? rules) => _ports.TryGetValue(port, out rules);

    /// <summary>
    /// Step 2: whether a client on this port that stays silent must wait for its first bytes rather than become opaque
    /// TCP at the sniff timeout (the identity has http rules there).
    /// </summary>
    public bool WaitsForFirstBytes(int port) => _ports.TryGetValue(port, out var rules) && rules.HasHttp;
}
