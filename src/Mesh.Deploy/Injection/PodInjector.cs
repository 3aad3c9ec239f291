using k8s.Models;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Injection;

/// <summary>
/// Decides whether and how to inject one pod (or pod template): pure, shared by <c>mesh inject</c> and the webhook.
/// Opted out by annotation, host-network pods and pods already injected are left alone; a half-injected pod or an
/// unreadable annotation is an <see cref="InjectionException"/> (the webhook then refuses the pod: fail closed).
/// </summary>
internal static class PodInjector
{
    public static InjectionOutcome Plan(V1ObjectMeta? metadata, V1PodSpec spec, InjectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var annotations = metadata?.Annotations;
        var requested = PodAnnotations.InjectionRequested(annotations);
        if (requested is false)
        {
            return InjectionOutcome.Unchanged(InjectionVerdict.OptedOut, "annotation sidecar-injection: disabled");
        }

        var hasInit = Has(spec.InitContainers, SidecarContainers.InitName);
        var hasProxy = Has(spec.InitContainers, SidecarContainers.ProxyName) || Has(spec.Containers, SidecarContainers.ProxyName);
        if (hasInit && hasProxy)
        {
            return InjectionOutcome.Unchanged(InjectionVerdict.AlreadyInjected, $"it already has {SidecarContainers.InitName} and {SidecarContainers.ProxyName}");
        }
        if (hasInit || hasProxy)
        {
            throw new InjectionException(
                $"it has {(hasInit ? SidecarContainers.InitName : SidecarContainers.ProxyName)} but not {(hasInit ? SidecarContainers.ProxyName : SidecarContainers.InitName)}: refusing to complete a partial injection; remove the container or add the other");
        }
        if (spec.HostNetwork is true)
        {
            return InjectionOutcome.Unchanged(InjectionVerdict.Skipped, "it uses the host network: interception rules would apply to the node");
        }
        if (spec.Volumes?.Any(v => v.Name == SidecarContainers.ProxyTmpVolume) is true)
        {
            throw new InjectionException($"it already has a volume named {SidecarContainers.ProxyTmpVolume}");
        }

        var values = settings.Values;
        var rules = InterceptionRules.For(annotations, settings.Traffic, values.ProxyOutboundPort, values.ProxyUid);
        var init = SidecarContainers.Init(settings, rules);
        var proxy = SidecarContainers.Proxy(settings);
        var changes = values.ProxySidecarMode == SidecarMode.Native
            ? new PodChanges([init, proxy], [], [SidecarContainers.TmpVolume()])
            : new PodChanges([init], [proxy], [SidecarContainers.TmpVolume()]);
        return new InjectionOutcome(InjectionVerdict.Injected, "injected", changes);
    }

    private static bool Has(IList<V1Container>? containers, string name) => containers?.Any(c => c.Name == name) is true;
}
