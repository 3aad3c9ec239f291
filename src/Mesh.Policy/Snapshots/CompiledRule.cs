using Mesh.Policy.Model;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// One (policy, port) rule as it applies to an identity: what the JSON form lists and what <c>explain</c> walks.
/// <see cref="Routes"/> is null when the policy restricts no routes; empty when every referenced route group is
/// missing, which allows nothing (fail closed).
/// </summary>
public sealed record CompiledRule(
    RuleRef Ref,
    IReadOnlyList<HostPattern> Hosts,
    IReadOnlyList<Cidr> IPAddresses,
    IReadOnlyList<CompiledRoute>? Routes,
    IReadOnlyList<string> MissingRouteGroups);
