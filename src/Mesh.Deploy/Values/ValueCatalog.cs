using P = Mesh.Deploy.Values.ValueParsers;

namespace Mesh.Deploy.Values;

/// <summary>
/// Every key <c>mesh install --set</c> knows, Helm style. The <c>mesh.*</c> keys may also be written <c>osm.*</c> or
/// <c>fsm.*</c>, as the seed documents do (<c>--set fsm.enableEgress=true</c>).
/// </summary>
internal static class ValueCatalog
{
    /// <summary>Prefixes other meshes' installers use for what we call <c>mesh.</c>.</summary>
    private static readonly string[] AliasPrefixes = ["osm.", "fsm."];

    public static IReadOnlyList<ValueKey> Keys { get; } =
    [
        new("mesh.name", "The mesh's name: object names and the namespace label openservicemesh.io/monitored-by",
            v => v.MeshName, (v, s) => v with { MeshName = P.DnsLabel(s, 40) }),
        new("mesh.namespace", "The namespace of the controllers and the default MeshConfig",
            v => v.Namespace, (v, s) => v with { Namespace = P.DnsLabel(s, 63) }),
        new("mesh.enableEgress", "MeshConfig spec.traffic.enableEgress: let any external destination through",
            v => P.Show(v.EnableEgress), (v, s) => v with { EnableEgress = P.Bool(s) }),
        new("mesh.enableEgressPolicy", "MeshConfig spec.featureFlags.enableEgressPolicy: apply Egress policies",
            v => P.Show(v.EnableEgressPolicy), (v, s) => v with { EnableEgressPolicy = P.Bool(s) }),
        new("mesh.sidecarLogLevel", "MeshConfig spec.sidecar.logLevel",
            v => v.SidecarLogLevel, (v, s) => v with { SidecarLogLevel = P.LogLevel(s) }),
        new("mesh.outboundIPRangeExclusionList", "MeshConfig spec.traffic.outboundIPRangeExclusionList: {CIDR,...} never sent through the proxy",
            v => P.Show(v.OutboundIPRangeExclusions), (v, s) => v with { OutboundIPRangeExclusions = P.CidrList(s) }),
        new("mesh.outboundIPRangeInclusionList", "MeshConfig spec.traffic.outboundIPRangeInclusionList: if set, only {CIDR,...} go through the proxy",
            v => P.Show(v.OutboundIPRangeInclusions), (v, s) => v with { OutboundIPRangeInclusions = P.CidrList(s) }),
        new("mesh.outboundPortExclusionList", "MeshConfig spec.traffic.outboundPortExclusionList: {port,...} never sent through the proxy",
            v => P.Show(v.OutboundPortExclusions), (v, s) => v with { OutboundPortExclusions = P.PortList(s) }),
        new("image.repository", "Image of the controller, proxy and init containers",
            v => v.ImageRepository, (v, s) => v with { ImageRepository = P.Token(s) }),
        new("image.tag", "Image tag", v => v.ImageTag, (v, s) => v with { ImageTag = P.Token(s) }),
        new("image.pullPolicy", "Always, IfNotPresent or Never",
            v => v.ImagePullPolicy, (v, s) => v with { ImagePullPolicy = P.OneOf(s, "Always", "IfNotPresent", "Never") }),
        new("controller.replicas", "Controller replicas (3 keeps a majority when one node is lost)",
            v => P.Show(v.ControllerReplicas), (v, s) => v with { ControllerReplicas = P.Int(s, 1, 99) }),
        new("controller.clusterPort", "Akka cluster port of the controllers",
            v => P.Show(v.ControllerClusterPort), (v, s) => v with { ControllerClusterPort = P.Port(s) }),
        new("controller.adminPort", "Controller admin port: /ready, /metrics, /config_dump",
            v => P.Show(v.ControllerAdminPort), (v, s) => v with { ControllerAdminPort = P.Port(s) }),
        new("controller.webhookPort", "Port of the injection webhook inside the controller pods",
            v => P.Show(v.ControllerWebhookPort), (v, s) => v with { ControllerWebhookPort = P.Port(s) }),
        new("controller.logLevel", "Controller log level",
            v => v.ControllerLogLevel, (v, s) => v with { ControllerLogLevel = P.LogLevel(s) }),
        .. Resources("controller", v => v.ControllerResources, (v, r) => v with { ControllerResources = r }),
        new("webhook.failurePolicy", "Fail (a pod never starts without its proxy) or Ignore (it starts unmeshed while no controller answers)",
            v => v.WebhookFailurePolicy, (v, s) => v with { WebhookFailurePolicy = P.OneOf(s, "Fail", "Ignore") }),
        new("webhook.timeoutSeconds", "How long the API server waits for the webhook (1..30)",
            v => P.Show(v.WebhookTimeoutSeconds), (v, s) => v with { WebhookTimeoutSeconds = P.Int(s, 1, 30) }),
        new("proxy.uid", "The proxy's user id; its traffic is not intercepted, so it must not be root",
            v => P.Show(v.ProxyUid), (v, s) => v with { ProxyUid = P.Int(s, 1, int.MaxValue) }),
        new("proxy.outboundPort", "The port iptables redirects outbound TCP to",
            v => P.Show(v.ProxyOutboundPort), (v, s) => v with { ProxyOutboundPort = P.Port(s) }),
        new("proxy.adminPort", "The proxy's admin port: /ready, /metrics, /config_dump",
            v => P.Show(v.ProxyAdminPort), (v, s) => v with { ProxyAdminPort = P.Port(s) }),
        new("proxy.sidecarMode", "native (an init container with restartPolicy Always, Kubernetes 1.29+) or container",
            v => v.ProxySidecarMode.ToString().ToLowerInvariant(),
            (v, s) => v with { ProxySidecarMode = P.OneOf(s, "native", "container") == "native" ? SidecarMode.Native : SidecarMode.Container }),
        .. Resources("proxy", v => v.ProxyResources, (v, r) => v with { ProxyResources = r }),
    ];

    public static ValueKey? Find(string name)
    {
        foreach (var alias in AliasPrefixes)
        {
            if (name.StartsWith(alias, StringComparison.Ordinal)) name = "mesh." + name[alias.Length..];
        }
        return Keys.FirstOrDefault(k => k.Name == name);
    }

    private static IEnumerable<ValueKey> Resources(
        string component, Func<InstallValues, ResourceValues> get, Func<InstallValues, ResourceValues, InstallValues> set)
    {
        var p = component + ".resources.";
        yield return new(p + "requests.cpu", $"CPU request of the {component}", v => get(v).RequestsCpu,
            (v, s) => set(v, get(v) with { RequestsCpu = P.Quantity(s) }));
        yield return new(p + "requests.memory", $"Memory request of the {component}", v => get(v).RequestsMemory,
            (v, s) => set(v, get(v) with { RequestsMemory = P.Quantity(s) }));
        yield return new(p + "limits.cpu", $"CPU limit of the {component} (empty: none)", v => get(v).LimitsCpu ?? "",
            (v, s) => set(v, get(v) with { LimitsCpu = P.OptionalQuantity(s) }));
        yield return new(p + "limits.memory", $"Memory limit of the {component} (empty: none)", v => get(v).LimitsMemory ?? "",
            (v, s) => set(v, get(v) with { LimitsMemory = P.OptionalQuantity(s) }));
    }
}
