using System.Text.RegularExpressions;
using Mesh.Policy.Decisions;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;

namespace Mesh.Policy.Explain;

/// <summary>Why one rule of the destination port did or did not decide, in words an operator can act on.</summary>
internal static class RuleReasons
{
    public static RuleExplanation Explain(CompiledRule rule, DecisionWalk walk, ConnectionDecision connection, RequestDecision? request)
    {
        var decider = request?.Rule ?? connection.Rule;
        if (decider == rule.Ref) return new(rule.Ref, RuleOutcome.Decided, DecidedBecause(rule, walk.Query, request));
        var (outcome, reason) = WhyNot(rule, walk.Query);
        if (outcome is not null) return new(rule.Ref, outcome.Value, reason);
        var decision = request is { } r ? r.ToString() : connection.ToString();
        return new(rule.Ref, RuleOutcome.Shadowed, $"applies too, but the decision was made first: {decision}");
    }

    private static string DecidedBecause(CompiledRule rule, ExplainQuery query, RequestDecision? request)
    {
        var address = AddressMatch(rule, query);
        return rule.Ref.Protocol switch
        {
            EgressProtocol.TcpServerFirst => $"server-first port: forwarded without sniffing ({address})",
            EgressProtocol.Https when rule.Hosts.Count == 0 => $"https rule without hosts allows any TLS ({address})",
            EgressProtocol.Https => $"SNI '{query.Sni}' matches {Hosts(rule)} ({address})",
            EgressProtocol.Http when request?.Route is { } route =>
                $"Host '{query.HostHeader}' matches {Hosts(rule)} and {query.Method} {query.PathWithoutQuery} matches route {route.Group}/{route.Name}",
            EgressProtocol.Http => $"Host '{query.HostHeader}' matches {Hosts(rule)}, and the policy restricts no routes",
            _ => $"tcp rule for the port ({address})",
        };
    }

    /// <summary>The first check the rule fails, or a null outcome when it would apply.</summary>
    private static (RuleOutcome? Outcome, string Reason) WhyNot(CompiledRule rule, ExplainQuery query)
    {
        var traffic = query.Traffic switch
        {
            ExplainTraffic.Tls => "TLS",
            ExplainTraffic.Http => "HTTP/1",
            _ => "opaque TCP",
        };
        switch (rule.Ref.Protocol)
        {
            case EgressProtocol.Https when query.Traffic != ExplainTraffic.Tls:
                return (RuleOutcome.NotApplicable, $"https rule, but the connection is {traffic}, not TLS");
            case EgressProtocol.Https when rule.Hosts.Count > 0 && string.IsNullOrEmpty(query.Sni):
                return (RuleOutcome.NotApplicable, $"the ClientHello has no SNI, and the rule only allows {Hosts(rule)}");
            case EgressProtocol.Https when rule.Hosts.Count > 0 && !rule.Hosts.Any(h => h.Matches(query.Sni)):
                return (RuleOutcome.NotApplicable, $"SNI '{query.Sni}' matches none of {Hosts(rule)}");
            case EgressProtocol.Http when query.Traffic != ExplainTraffic.Http:
                return (RuleOutcome.NotApplicable, $"http rule, but the connection is {traffic}, not HTTP/1");
            case EgressProtocol.Http:
                return WhyNotHttp(rule, query);
        }
        return AddressCheck(rule, query);
    }

    private static (RuleOutcome?, string) WhyNotHttp(CompiledRule rule, ExplainQuery query)
    {
        var port = query.Destination.Port;
        if (!HostName.TryStripPort(query.HostHeader, port, out var name))
        {
            return (RuleOutcome.NotApplicable, $"Host '{query.HostHeader}' names a port other than {port} (or is an IPv6 literal)");
        }
        var hostName = name.ToString();
        if (!rule.Hosts.Any(h => h.Matches(hostName))) return (RuleOutcome.NotApplicable, $"Host '{hostName}' matches none of {Hosts(rule)}");
        if (rule.Routes is not { } routes) return (null, "");
        if (routes.Count == 0)
        {
            return (RuleOutcome.NotApplicable,
                $"its HTTPRouteGroup(s) {string.Join(", ", rule.MissingRouteGroups)} do not exist, so it allows nothing (fail closed)");
        }
        var headers = new ExplainHeaders(query.HeaderList);
        if (routes.Any(r => r.Matches(query.Method, query.PathWithoutQuery, ref headers))) return (null, "");
        var why = routes.Select(r => $"route {r.Group}/{r.Name}: {RouteMismatch(r, query)}");
        var missing = rule.MissingRouteGroups.Count > 0 ? $"; missing HTTPRouteGroup(s): {string.Join(", ", rule.MissingRouteGroups)}" : "";
        return (RuleOutcome.NotApplicable, $"no route matches {query.Method} {query.PathWithoutQuery}: {string.Join("; ", why)}{missing}");
    }

    private static string RouteMismatch(CompiledRoute route, ExplainQuery query)
    {
        var problems = new List<string>();
        var anyMethod = route.Methods.Count == 0 || route.Methods.Contains("*");
        if (!anyMethod && !route.Methods.Contains(query.Method, StringComparer.Ordinal))
        {
            problems.Add($"method {query.Method} is not in [{string.Join(", ", route.Methods)}]");
        }
        if (route.PathRegex is { } path && !FullMatch(path, query.PathWithoutQuery))
        {
            problems.Add($"path {query.PathWithoutQuery} does not fully match '{path}'");
        }
        var headers = new ExplainHeaders(query.HeaderList);
        foreach (var (header, pattern) in route.HeaderPatterns)
        {
            if (!headers.TryGetValue(header, out var value)) problems.Add($"header {header} is missing (must match '{pattern}')");
            else if (!FullMatch(pattern, value.ToString())) problems.Add($"header {header}: '{value}' does not fully match '{pattern}'");
        }
        return problems.Count == 0 ? "does not match" : string.Join(", ", problems);
    }

    /// <summary>Only for wording the reason: the verdict itself always comes from the compiled route.</summary>
    private static bool FullMatch(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, $@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static (RuleOutcome?, string) AddressCheck(CompiledRule rule, ExplainQuery query)
    {
        if (rule.IPAddresses.Count == 0) return (null, "");
        if (query.Destination.Address is not { } address)
        {
            return (RuleOutcome.Unchecked, $"limited to {Ranges(rule)}: cannot be checked without --ip");
        }
        return rule.IPAddresses.Any(c => c.Contains(address))
            ? (null, "")
            : (RuleOutcome.NotApplicable, $"destination {address} is outside {Ranges(rule)}");
    }

    private static string AddressMatch(CompiledRule rule, ExplainQuery query) =>
        rule.IPAddresses.Count == 0 ? "any destination address"
        : query.Destination.Address is { } a ? $"destination {a} is in {string.Join(", ", rule.IPAddresses.Where(c => c.Contains(a)))}"
        : $"limited to {Ranges(rule)}";

    private static string Hosts(CompiledRule rule) => $"[{string.Join(", ", rule.Hosts)}]";

    private static string Ranges(CompiledRule rule) => $"[{string.Join(", ", rule.IPAddresses)}]";
}
