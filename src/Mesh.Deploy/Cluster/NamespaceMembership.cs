using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Mesh.Deploy.Injection;
using Mesh.Deploy.Manifests;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// <c>mesh namespace add|remove</c>, as <c>osm namespace add|remove</c>: a namespace joins a mesh by the label
/// <c>openservicemesh.io/monitored-by=&lt;mesh&gt;</c> (what the controllers watch and the webhook selects) and the
/// annotation <c>openservicemesh.io/sidecar-injection: enabled</c>; leaving removes both. A namespace already as
/// asked is not written. A namespace of another mesh is refused (one mesh per namespace), as is the mesh's own.
/// </summary>
internal sealed class NamespaceMembership(ClusterApi api, TextWriter output)
{
    public const string InjectionAnnotation = "openservicemesh.io/" + PodAnnotations.SidecarInjection;

    public async Task AddAsync(string ns, string mesh, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(ns, cancellationToken).ConfigureAwait(false);
        var labels = current.Metadata.Labels ?? new Dictionary<string, string>();
        var annotations = current.Metadata.Annotations ?? new Dictionary<string, string>();
        if (labels.TryGetValue(MeshNames.MonitoredByLabel, out var other) && other != mesh)
        {
            throw new ClusterException(
                $"namespace {ns} is in mesh \"{other}\" ({MeshNames.MonitoredByLabel}={other}); a namespace belongs to one mesh: " +
                $"mesh namespace remove {ns} --mesh-name {other} first");
        }
        if (labels.TryGetValue("app.kubernetes.io/managed-by", out var manager) && manager == "mesh-install" &&
            labels.TryGetValue("app.kubernetes.io/instance", out var instance))
        {
            throw new ClusterException($"namespace {ns} holds the controllers of mesh \"{instance}\"; a mesh's own namespace cannot be added to a mesh");
        }
        await RequireMeshAsync(mesh, cancellationToken).ConfigureAwait(false);
        if (other == mesh && annotations.TryGetValue(InjectionAnnotation, out var injection) && injection == "enabled")
        {
            output.WriteLine($"namespace {ns} is already in mesh \"{mesh}\"");
            return;
        }
        await PatchAsync(ns, mesh, "enabled", cancellationToken).ConfigureAwait(false);
        output.WriteLine($"namespace {ns} added to mesh \"{mesh}\": pods created there from now on get the proxy " +
            $"(restart running ones to get it: kubectl rollout restart deployment -n {ns})");
    }

    public async Task RemoveAsync(string ns, string mesh, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(ns, cancellationToken).ConfigureAwait(false);
        var labels = current.Metadata.Labels ?? new Dictionary<string, string>();
        var annotations = current.Metadata.Annotations ?? new Dictionary<string, string>();
        if (!labels.TryGetValue(MeshNames.MonitoredByLabel, out var member))
        {
            if (annotations.ContainsKey(InjectionAnnotation)) await PatchAsync(ns, null, null, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"namespace {ns} is not in any mesh");
            return;
        }
        if (member != mesh)
        {
            throw new ClusterException($"namespace {ns} is in mesh \"{member}\", not \"{mesh}\": name its mesh with --mesh-name {member}");
        }
        await PatchAsync(ns, null, null, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"namespace {ns} removed from mesh \"{mesh}\": new pods there are not injected (running ones keep their proxy until restarted)");
    }

    private async Task<V1Namespace> ReadAsync(string ns, CancellationToken cancellationToken)
    {
        var target = new ObjectRef(ObjectEndpoints.Namespaces, null, ns);
        return (V1Namespace?)await api.ReadAsync(target, cancellationToken).ConfigureAwait(false)
            ?? throw new ClusterException($"namespace {ns} does not exist (create it first: kubectl create namespace {ns})");
    }

    /// <summary>As <c>osm namespace add</c> checks: the mesh's controllers exist somewhere, so a mistyped --mesh-name is caught.</summary>
    private async Task RequireMeshAsync(string mesh, CancellationToken cancellationToken)
    {
        var selector = $"app.kubernetes.io/instance={mesh},app.kubernetes.io/managed-by=mesh-install";
        var deployments = await api.CallAsync($"list deployments.apps labelled {selector} (all namespaces)",
            ct => api.Client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (deployments.Items.Count == 0)
        {
            throw new ClusterException(
                $"mesh \"{mesh}\" is not installed in this cluster (no controller Deployment labelled {selector}): install it with " +
                "mesh install, or name the mesh with --mesh-name");
        }
    }

    /// <summary>A merge patch of the label and annotation: set to these values, or removed (null), nothing else touched.</summary>
    private Task<V1Namespace> PatchAsync(string ns, string? mesh, string? injection, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = new JsonObject { [MeshNames.MonitoredByLabel] = mesh },
                ["annotations"] = new JsonObject { [InjectionAnnotation] = injection },
            },
        };
        var patch = new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
        return api.CallAsync($"patch namespace {ns}", ct => api.Client.CoreV1.PatchNamespaceAsync(patch, ns, cancellationToken: ct), cancellationToken);
    }
}
