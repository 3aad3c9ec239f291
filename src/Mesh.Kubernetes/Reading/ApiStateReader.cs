using Mesh.Kubernetes.Access;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Conversion;
using Mesh.Kubernetes.Enrollment;
using Mesh.Kubernetes.Objects;
using Mesh.Kubernetes.Reflection;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.State;

namespace Mesh.Kubernetes.Reading;

/// <summary>
/// Reads the mesh's resources once (one list of every watched resource, in pages) and turns them into what a
/// controller would hold in force, through the very <see cref="KindCatalog"/> and <see cref="NamespaceEnrollment"/>
/// the watchers use: same validation, same precedence, same last-accepted rule. For <c>mesh egress explain
/// --kubernetes</c>; no watch, no retry.
/// </summary>
public static class ApiStateReader
{
    /// <exception cref="KubernetesReadException">A list failed (403 names the verb and resource to grant).</exception>
    public static async Task<ApiState> ReadAsync(k8s.IKubernetes client, MeshResourceCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(catalog);
        var enrollment = new NamespaceEnrollment(catalog.MeshName, catalog.MeshConfigKey);
        enrollment.Apply(await ListAsync(client, catalog.EnrolledNamespaces, cancellationToken).ConfigureAwait(false));

        var state = ClusterState.Create(catalog.MeshConfigKey, enrollment.Enrolled);
        var verdicts = new List<ObjectVerdict>();
        var rejections = new List<ValidationError>();
        foreach (var kind in new[] { ResourceKind.MeshConfig, ResourceKind.HttpRouteGroup, ResourceKind.Egress })
        {
            var sources = catalog.SourcesOf(kind);
            var kindCatalog = new KindCatalog(kind, sources);
            foreach (var source in sources) kindCatalog.Apply(await ListAsync(client, source, cancellationToken).ConfigureAwait(false));
            foreach (var resource in kindCatalog.InForce) state = state.Upsert(resource);
            foreach (var verdict in kindCatalog.Verdicts.OrderBy(v => v.Key, ObjectKey.Order).ThenBy(v => v.Source.Name, StringComparer.Ordinal))
            {
                if (!enrollment.Counts(kind, verdict.Key)) continue; // another mesh's namespace: not Mesh's to judge
                verdicts.Add(verdict);
                if (verdict.Reason == VerdictReason.Invalid) rejections.AddRange(kindCatalog.ErrorsOf(verdict.Source, verdict.Key));
            }
        }
        return new ApiState(state, verdicts, rejections);
    }

    /// <summary>Every page of one resource as one "synced" report; a resource that is not served is empty.</summary>
    private static async Task<ReflectorSynced> ListAsync(k8s.IKubernetes client, WatchedResource resource, CancellationToken cancellationToken)
    {
        var access = ResourceClients.For(client, resource);
        var items = new List<KubeObject>();
        string? next = null;
        string? version = null;
        try
        {
            do
            {
                var page = await access.ListPageAsync(next, ReflectorOptions.Default.PageSize, cancellationToken).ConfigureAwait(false);
                version ??= page.ResourceVersion;
                items.AddRange(page.Items);
                next = page.Continue;
            }
            while (next is not null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = ApiFailure.From(e, TimeProvider.System);
            if (failure.Kind == FailureKind.NotFound) return new ReflectorSynced(resource, [], "", [], true, RelistReason.Initial);
            throw new KubernetesReadException(FailureMessages.ForOneRead(resource, ResourceVerb.List, failure), e);
        }
        return new ReflectorSynced(resource, items.OrderBy(o => o.Key, ObjectKey.Order).ToList(), version ?? "", [], true, RelistReason.Initial);
    }
}
