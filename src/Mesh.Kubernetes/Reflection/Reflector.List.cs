using Mesh.Kubernetes.Objects;

namespace Mesh.Kubernetes.Reflection;

public sealed partial class Reflector
{
    /// <summary>
    /// Lists everything in pages (<c>limit</c> + <c>continue</c>, one consistent snapshot: the server pins every page
    /// to the first page's resourceVersion), diffs it against the cache, reports it, and sets the version to watch
    /// from. A 410 on a continue token (the snapshot was compacted meanwhile) throws Expired: the list starts over.
    /// </summary>
    /// <remarks>
    /// Lists without a resourceVersion: a consistent read of the latest state. client-go first lists with "0" (any
    /// cached state) to spare etcd, but a watch cache ignores <c>limit</c> then; Mesh's lists are small and rare.
    /// </remarks>
    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var items = new List<KubeObject>();
        string? next = null;
        string? listVersion = null;
        do
        {
            var page = await _client.ListPageAsync(next, _options.PageSize, cancellationToken).ConfigureAwait(false);
            _metrics.ListPages.WithLabels(_label).Inc();
            listVersion ??= page.ResourceVersion;
            items.AddRange(page.Items);
            next = page.Continue;
        }
        while (next is not null);

        var changes = _cache.Replace(items);
        if (_synced)
        {
            var deletions = changes.Count(c => c.Type == ChangeType.Deleted);
            if (deletions > 0) _metrics.RelistDeletions.WithLabels(_label).Inc(deletions);
        }
        var reason = _relistReason;
        var first = !_synced;
        var objects = _cache.Snapshot();
        Report(() => _sink.Synced(new ReflectorSynced(Resource, objects, listVersion, changes, first, reason)));
        _metrics.Lists.WithLabels(_label, ReasonLabel(reason)).Inc();
        _metrics.Objects.WithLabels(_label).Set(_cache.Count);
        _synced = true;
        _resourceVersion = listVersion;
        _relistReason = RelistReason.AfterFailure;
        MadeProgress();
    }

    /// <summary>
    /// The resource is not served: report it as empty (deleting whatever was known) unless that is already what
    /// was last reported. Returns whether anything was reported.
    /// </summary>
    private bool ReportAbsent()
    {
        if (_synced && _absent) return false;
        var changes = _cache.Replace([]);
        var first = !_synced;
        var reason = _relistReason;
        Report(() => _sink.Synced(new ReflectorSynced(Resource, [], "", changes, first, reason)));
        _metrics.Objects.WithLabels(_label).Set(0);
        _synced = true;
        _absent = true;
        return true;
    }

    private static string ReasonLabel(RelistReason reason) => reason switch
    {
        RelistReason.Initial => "initial",
        RelistReason.Expired => "expired",
        _ => "after_failure",
    };
}
