using Mesh.Policy.Model;

namespace Mesh.Policy.Snapshots;

/// <summary>The rules of one identity for one destination port, indexed for each kind of traffic.</summary>
internal sealed class PortRules
{
    /// <summary>The rules this index was built from, in snapshot order: a next snapshot with the same ones keeps it.</summary>
    public required CompiledRule[] Rules { get; init; }

    public AddressRuleSet? ServerFirst { get; init; }

    public AddressRuleSet? Tcp { get; init; }

    /// <summary>https rules with hosts, by SNI; each host's rules may be limited to address ranges.</summary>
    public HostTable<AddressRuleSet>? HttpsHosts { get; init; }

    /// <summary>https rules without hosts: any TLS, with or without SNI.</summary>
    public AddressRuleSet? HttpsAnyHost { get; init; }

    public HostTable<HttpHostRules>? HttpHosts { get; init; }

    public bool HasHttp => HttpHosts is not null;
}

/// <summary>The http rules that name one host: policies that allow every route, and policies with route matches.</summary>
internal sealed class HttpHostRules
{
    public RuleRef? AllowAll { get; set; }

    // Arrays, not IReadOnlyList: foreach over an interface boxes its enumerator (40 B per request, measured).
    public List<(RuleRef Rule, CompiledRoute[] Routes)> Routed { get; } = [];

    public HostPattern Host { get; init; }
}
