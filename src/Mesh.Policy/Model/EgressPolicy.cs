namespace Mesh.Policy.Model;

/// <summary>The protocols an Egress port can name (case-insensitive in manifests).</summary>
public enum EgressProtocol
{
    Http,
    Https,
    Tcp,
    TcpServerFirst,
}

/// <summary>One entry of <c>spec.ports</c>.</summary>
public sealed record EgressPort(int Number, EgressProtocol Protocol);

/// <summary>One entry of <c>spec.matches</c>: a reference to an SMI HTTPRouteGroup in the Egress's namespace.</summary>
public sealed record RouteGroupReference(string Name);

/// <summary>An Egress policy: who (sources) may reach what (hosts, addresses, ports), optionally by HTTP route.</summary>
public sealed record EgressPolicy(
    ResourceKey Key,
    SourceLocation Source,
    IReadOnlyList<ServiceAccountIdentity> Sources,
    IReadOnlyList<HostPattern> Hosts,
    IReadOnlyList<Cidr> IPAddresses,
    IReadOnlyList<EgressPort> Ports,
    IReadOnlyList<RouteGroupReference> Matches) : MeshResource(Key, Source)
{
    /// <summary>The key of a referenced route group: same namespace as the policy.</summary>
    public ResourceKey RouteGroupKey(RouteGroupReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return new ResourceKey(ResourceKind.HttpRouteGroup, Key.Namespace, reference.Name);
    }
}
