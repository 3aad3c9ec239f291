using k8s;
using k8s.Models;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Tls;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// <c>mesh uninstall</c>: deletes what <c>mesh install</c> applies for this mesh name and namespace, the webhook
/// configuration first (so no pod creation waits on controllers that are going away), then the rest in the reverse
/// of install's order. The CRDs stay unless asked (deleting one deletes every object of its kind in the cluster: the
/// users' Egress policies), and so does the namespace (it may hold other things). Objects already gone are reported
/// as absent: running it twice is fine.
/// </summary>
internal sealed class MeshUninstaller(ClusterApi api, TextWriter output)
{
    private readonly List<ObjectResult> _results = [];

    public IReadOnlyList<ObjectResult> Results => _results;

    public async Task UninstallAsync(InstallValues values, bool deleteCrds, bool deleteNamespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var names = new MeshNames(values);
        // Only names and kinds matter here; the certificate is never sent.
        var tls = WebhookCertificates.Create(names.Injector, names.InjectorDnsNames, api.Time.GetUtcNow());
        var objects = InstallManifests.Render(values, tls).Cast<IKubernetesObject<V1ObjectMeta>>().Reverse().ToList();
        foreach (var o in objects)
        {
            var target = ObjectRef.Of(o);
            switch (o)
            {
                case V1CustomResourceDefinition when !deleteCrds:
                    Report(new ObjectResult(target, ObjectOutcome.Kept, "CRDs stay (--delete-crds deletes them and every object of their kinds)"));
                    break;
                case V1Namespace when !deleteNamespace:
                    if (await api.ReadAsync(target, cancellationToken).ConfigureAwait(false) is null) Report(new ObjectResult(target, ObjectOutcome.Absent));
                    else Report(new ObjectResult(target, ObjectOutcome.Kept, "--delete-namespace deletes it and everything in it"));
                    break;
                default:
                    var deleted = await api.DeleteAsync(target, cancellationToken).ConfigureAwait(false);
                    Report(new ObjectResult(target, deleted ? ObjectOutcome.Deleted : ObjectOutcome.Absent));
                    break;
            }
        }
        await ReportEnrolledAsync(names, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Namespaces still labelled for this mesh: their pods are no longer injected; say how to unlabel them.</summary>
    private async Task ReportEnrolledAsync(MeshNames names, CancellationToken cancellationToken)
    {
        var selector = $"{MeshNames.MonitoredByLabel}={names.Mesh}";
        var list = await api.CallAsync($"list namespaces labelled {selector}",
            ct => api.Client.CoreV1.ListNamespaceAsync(labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var enrolled = list.Items.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        if (enrolled.Count == 0) return;
        output.WriteLine(
            $"namespaces still labelled {selector} (their new pods are no longer injected): {string.Join(", ", enrolled)}; " +
            $"mesh namespace remove NAMESPACE --mesh-name {names.Mesh} unlabels one");
    }

    private void Report(ObjectResult result)
    {
        _results.Add(result);
        output.WriteLine(result);
    }
}
