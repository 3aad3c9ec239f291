using System.Collections.Frozen;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// Compiles the snapshot of one identity from a <see cref="ClusterState"/>: the ports of every Egress that names
/// the identity (when egress policy is enabled), with route groups resolved in the Egress's namespace. Pure.
/// </summary>
public static class SnapshotCompiler
{
    public static EgressSnapshot Compile(ClusterState state, ServiceAccountIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Compile(state, identity, state.Egresses.Where(e => e.Sources.Contains(identity)));
    }

    /// <summary>Compiles from the policies already known to name <paramref name="identity"/> (the index keeps that set).</summary>
    public static EgressSnapshot Compile(ClusterState state, ServiceAccountIdentity identity, IEnumerable<EgressPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(state);
        var mesh = state.MeshConfig;
        var rules = new List<CompiledRule>();
        var issues = new List<string>();
        if (mesh.EnableEgressPolicy)
        {
            foreach (var policy in policies.OrderBy(p => p.Key, ResourceKey.Order))
            {
                rules.AddRange(CompilePolicy(state, policy, issues));
            }
        }
        return new EgressSnapshot(identity, mesh, rules, issues, BuildIndex(rules));
    }

    private static IEnumerable<CompiledRule> CompilePolicy(ClusterState state, EgressPolicy policy, List<string> issues)
    {
        IReadOnlyList<CompiledRoute>? routes = null;
        var missing = new List<string>();
        if (policy.Matches.Count > 0)
        {
            var list = new List<CompiledRoute>();
            foreach (var reference in policy.Matches)
            {
                var group = state.RouteGroup(policy.RouteGroupKey(reference));
                if (group is null)
                {
                    missing.Add(reference.Name);
                    issues.Add($"Egress {policy.Key.Namespace}/{policy.Key.Name}: HTTPRouteGroup {policy.Key.Namespace}/{reference.Name} does not exist; its routes allow nothing until it does");
                    continue;
                }
                list.AddRange(group.Matches.Select(m => new CompiledRoute(reference.Name, m.Name, m.PathRegex, m.CompiledPath,
                    m.Methods, m.CompiledHeaders, m.Headers)));
            }
            routes = list;
        }
        foreach (var port in policy.Ports.OrderBy(p => p.Number).ThenBy(p => p.Protocol))
        {
            var isHttp = port.Protocol == EgressProtocol.Http;
            yield return new CompiledRule(new RuleRef(policy.Key, port.Number, port.Protocol), policy.Hosts, policy.IPAddresses,
                isHttp ? routes : null, isHttp ? missing : []);
        }
    }

    /// <summary>
    /// The per-port indexes of <paramref name="rules"/>. A port whose rules are the very instances, in the same order, of
    /// the port in <paramref name="previous"/> keeps that port's index: a change touches a port or two, and a proxy that
    /// reuses the unchanged rules of its last snapshot (the wire decoder does) rebuilds only those. That keeps the CPU and,
    /// above all, the memory a new snapshot costs small: 100 proxies in one process promoted every snapshot's indexes
    /// out of the young generation, and the collections that copied them paused the process for 85-110 ms (bench/cluster).
    /// </summary>
    internal static FrozenDictionary<int, PortRules> BuildIndex(IReadOnlyList<CompiledRule> rules, EgressSnapshot? previous = null)
    {
        var result = new Dictionary<int, PortRules>();
        foreach (var group in rules.GroupBy(r => r.Ref.Port))
        {
            var portRules = group.ToArray();
            if (previous?.RulesOf(group.Key) is { } kept && kept.Rules.AsSpan().SequenceEqual(portRules, ReferenceEqualityComparer.Instance))
            {
                result[group.Key] = kept;
                continue;
            }
            var serverFirst = new AddressRuleSet.Builder();
            var tcp = new AddressRuleSet.Builder();
            var httpsAny = new AddressRuleSet.Builder();
            var httpsHosts = new Dictionary<HostPattern, AddressRuleSet.Builder>();
            var httpHosts = new Dictionary<HostPattern, HttpHostRules>();
            foreach (var rule in portRules)
            {
                switch (rule.Ref.Protocol)
                {
                    case EgressProtocol.TcpServerFirst: serverFirst.Add(rule.Ref, rule.IPAddresses); break;
                    case EgressProtocol.Tcp: tcp.Add(rule.Ref, rule.IPAddresses); break;
                    case EgressProtocol.Https when rule.Hosts.Count == 0: httpsAny.Add(rule.Ref, rule.IPAddresses); break;
                    case EgressProtocol.Https:
                        foreach (var host in rule.Hosts)
                        {
                            if (!httpsHosts.TryGetValue(host, out var b)) httpsHosts[host] = b = new AddressRuleSet.Builder();
                            b.Add(rule.Ref, rule.IPAddresses);
                        }
                        break;
                    case EgressProtocol.Http:
                        foreach (var host in rule.Hosts)
                        {
                            if (!httpHosts.TryGetValue(host, out var h)) httpHosts[host] = h = new HttpHostRules { Host = host };
                            if (rule.Routes is null) h.AllowAll ??= rule.Ref;
                            else h.Routed.Add((rule.Ref, [.. rule.Routes]));
                        }
                        break;
                }
            }
            result[group.Key] = new PortRules
            {
                Rules = portRules,
                ServerFirst = serverFirst.IsEmpty ? null : serverFirst.Build(),
                Tcp = tcp.IsEmpty ? null : tcp.Build(),
                HttpsAnyHost = httpsAny.IsEmpty ? null : httpsAny.Build(),
                HttpsHosts = httpsHosts.Count == 0 ? null
                    : new HostTable<AddressRuleSet>(httpsHosts.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Build()))),
                HttpHosts = httpHosts.Count == 0 ? null : new HostTable<HttpHostRules>(httpHosts),
            };
        }
        return result.ToFrozenDictionary();
    }
}
