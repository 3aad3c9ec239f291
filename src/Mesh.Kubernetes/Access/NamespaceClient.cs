using k8s;
using k8s.Models;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Access;

/// <summary>List and watch of namespaces through <c>CoreV1</c> (typed; read back into <see cref="KubeObject"/>).</summary>
internal sealed class NamespaceClient : IResourceClient
{
    private readonly IKubernetes _client;

    public NamespaceClient(IKubernetes client, WatchedResource resource)
    {
        _client = client;
        Resource = resource;
    }

    public WatchedResource Resource { get; }

    public async Task<ListPage> ListPageAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        var list = await _client.CoreV1.ListNamespaceAsync(continueParameter: continueToken, fieldSelector: Resource.FieldSelector,
            labelSelector: Resource.LabelSelector, limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false);
        var items = (list.Items ?? []).Select(Read).ToList();
        var next = list.Metadata?.ContinueProperty;
        return new ListPage(items, list.Metadata?.ResourceVersion ?? "", string.IsNullOrEmpty(next) ? null : next);
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var source = _client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, fieldSelector: Resource.FieldSelector,
            labelSelector: Resource.LabelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
            onError: WatchStreams.ThrowOnError, cancellationToken: cancellationToken);
        return WatchStreams.Adapt(source, Read, cancellationToken);
    }

    private static KubeObject Read(V1Namespace ns) =>
        KubeObject.Parse(KubernetesJson.Serialize(ns));
}
