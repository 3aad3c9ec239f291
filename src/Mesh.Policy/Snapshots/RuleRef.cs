using Mesh.Policy.Model;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// The rule that decided: a policy and one of its ports. Allocated once per compiled rule, so a decision that
/// returns it allocates nothing.
/// </summary>
public sealed record RuleRef(ResourceKey Policy, int Port, EgressProtocol Protocol)
{
    public string ProtocolName => Protocol switch
    {
        EgressProtocol.Http => "http",
        EgressProtocol.Https => "https",
        EgressProtocol.Tcp => "tcp",
        _ => "tcp-server-first",
    };

    public override string ToString() => $"Egress {Policy.Namespace}/{Policy.Name} port {Port}/{ProtocolName}";
}
