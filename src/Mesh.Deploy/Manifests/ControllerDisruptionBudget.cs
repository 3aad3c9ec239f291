using k8s.Models;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// Voluntary disruptions (node drains) take at most one controller at a time: with three replicas a majority stays
/// up, and proxies keep a controller to talk to. With one replica a drain may still take it (maxUnavailable, not
/// minAvailable, so a single replica never blocks a drain forever); proxies then serve their last snapshot.
/// </summary>
internal static class ControllerDisruptionBudget
{
    public static V1PodDisruptionBudget Build(MeshNames names) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = new V1ObjectMeta { Name = names.Controller, NamespaceProperty = names.Namespace, Labels = names.ComponentLabels(names.Controller) },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MaxUnavailable = 1,
            Selector = new V1LabelSelector { MatchLabels = names.ControllerSelector },
        },
    };
}
