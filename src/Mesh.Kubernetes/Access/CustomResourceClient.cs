using System.Text.Json;
using k8s;
using Mesh.Kubernetes.Catalog;
using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Access;

/// <summary>
/// List and watch of a custom resource through <c>CustomObjects</c>, cluster-wide or in one namespace. Which
/// version is read is decided at the start of every list: the only candidate, or (several candidates) the first
/// the server's discovery (<c>GET /apis</c>) says it serves, so a CRD upgraded in place is followed on the next relist.
/// </summary>
internal sealed class CustomResourceClient : IResourceClient
{
    private readonly IKubernetes _client;
    private string? _version;

    public CustomResourceClient(IKubernetes client, WatchedResource resource)
    {
        _client = client;
        Resource = resource;
    }

    public WatchedResource Resource { get; }

    /// <summary>The version in use since the last list started (null before).</summary>
    public string? Version => _version;

    public async Task<ListPage> ListPageAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        if (continueToken is null || _version is null)
        {
            _version = await ServedVersions.ResolveAsync(_client, Resource.Resource, cancellationToken).ConfigureAwait(false);
        }
        var r = Resource.Resource;
        var list = Resource.Namespace is { } ns
            ? await _client.CustomObjects.ListNamespacedCustomObjectAsync(r.Group, _version, ns, r.Plural,
                continueParameter: continueToken, fieldSelector: Resource.FieldSelector, labelSelector: Resource.LabelSelector,
                limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await _client.CustomObjects.ListClusterCustomObjectAsync(r.Group, _version, r.Plural,
                continueParameter: continueToken, fieldSelector: Resource.FieldSelector, labelSelector: Resource.LabelSelector,
                limit: limit, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ReadList(ToElement(list));
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string resourceVersion, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var version = _version ?? throw new InvalidOperationException("watch before list: the version is not resolved");
        var r = Resource.Resource;
        var source = Resource.Namespace is { } ns
            ? _client.CustomObjects.WatchListNamespacedCustomObjectAsync(r.Group, version, ns, r.Plural,
                allowWatchBookmarks: true, fieldSelector: Resource.FieldSelector, labelSelector: Resource.LabelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: WatchStreams.ThrowOnError,
                cancellationToken: cancellationToken)
            : _client.CustomObjects.WatchListClusterCustomObjectAsync(r.Group, version, r.Plural,
                allowWatchBookmarks: true, fieldSelector: Resource.FieldSelector, labelSelector: Resource.LabelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: WatchStreams.ThrowOnError,
                cancellationToken: cancellationToken);
        return WatchStreams.Adapt(source, item => KubeObject.FromJson(ToElement(item)), cancellationToken);
    }

    internal static ListPage ReadList(JsonElement list)
    {
        var meta = list.TryGetProperty("metadata", out var m) ? m : default;
        string? Text(string name) =>
            meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var items = new List<KubeObject>();
        if (list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray()) items.Add(KubeObject.FromJson(item));
        }
        var next = Text("continue");
        return new ListPage(items, Text("resourceVersion") ?? "", string.IsNullOrEmpty(next) ? null : next);
    }

    private static JsonElement ToElement(object? value) => value switch
    {
        JsonElement e => e,
        null => throw new FormatException("the API server sent an empty object"),
        _ => JsonDocument.Parse(KubernetesJson.Serialize(value)).RootElement,
    };
}
