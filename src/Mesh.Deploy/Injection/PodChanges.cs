using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Mesh.Deploy.Injection;

/// <summary>
/// The changes injection makes to a pod spec: init containers put first, containers and volumes appended. Applied
/// to a typed spec by <c>mesh inject</c>, rendered as a JSON Patch by the webhook: one mutation, two renderings.
/// </summary>
internal sealed record PodChanges(
    IReadOnlyList<V1Container> InitContainersFirst,
    IReadOnlyList<V1Container> ContainersAppended,
    IReadOnlyList<V1Volume> VolumesAppended)
{
    public static PodChanges None { get; } = new([], [], []);

    public void ApplyTo(V1PodSpec spec)
    {
        spec.InitContainers = [.. InitContainersFirst, .. spec.InitContainers ?? []];
        if (spec.InitContainers.Count == 0) spec.InitContainers = null;
        spec.Containers = [.. spec.Containers ?? [], .. ContainersAppended];
        spec.Volumes = [.. spec.Volumes ?? [], .. VolumesAppended];
        if (spec.Volumes.Count == 0) spec.Volumes = null;
    }

    /// <summary>
    /// The patch against the pod as the API server has it. Only additions, each at a position that exists in the
    /// original (a missing or empty list is added whole), so the patch never rewrites a field the pod already has.
    /// </summary>
    public IReadOnlyList<JsonPatchOperation> ToJsonPatch(V1PodSpec original, string specPath = "/spec")
    {
        var ops = new List<JsonPatchOperation>();
        Prepend(ops, $"{specPath}/initContainers", original.InitContainers, InitContainersFirst);
        Append(ops, $"{specPath}/containers", original.Containers, ContainersAppended);
        Append(ops, $"{specPath}/volumes", original.Volumes, VolumesAppended);
        return ops;
    }

    private static void Prepend<T>(List<JsonPatchOperation> ops, string path, IList<T>? existing, IReadOnlyList<T> added)
        where T : class
    {
        if (added.Count == 0) return;
        if (existing is null || existing.Count == 0)
        {
            ops.Add(new("add", path, Node(added)));
            return;
        }
        for (var i = 0; i < added.Count; i++)
        {
            ops.Add(new("add", $"{path}/{i.ToString(CultureInfo.InvariantCulture)}", Node(added[i])));
        }
    }

    private static void Append<T>(List<JsonPatchOperation> ops, string path, IList<T>? existing, IReadOnlyList<T> added)
        where T : class
    {
        if (added.Count == 0) return;
        if (existing is null || existing.Count == 0)
        {
            ops.Add(new("add", path, Node(added)));
            return;
        }
        ops.AddRange(added.Select(item => new JsonPatchOperation("add", $"{path}/-", Node(item))));
    }

    private static JsonNode? Node(object value) => JsonNode.Parse(KubernetesJson.Serialize(value));
}
