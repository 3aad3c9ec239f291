using k8s.Models;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Manifests;

/// <summary>Container resources from values; a limit left empty is not set.</summary>
internal static class Resources
{
    public static V1ResourceRequirements From(ResourceValues values)
    {
        var limits = new Dictionary<string, ResourceQuantity>();
        if (values.LimitsCpu is { } cpu) limits["cpu"] = new ResourceQuantity(cpu);
        if (values.LimitsMemory is { } memory) limits["memory"] = new ResourceQuantity(memory);
        return new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new(values.RequestsCpu),
                ["memory"] = new(values.RequestsMemory),
            },
            Limits = limits.Count > 0 ? limits : null,
        };
    }
}
