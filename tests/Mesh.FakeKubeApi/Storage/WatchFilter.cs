using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Selectors;

namespace Mesh.FakeKubeApi.Storage;

/// <summary>Which objects a list or watch sees: a type, optionally one namespace, a label and a field selector.</summary>
internal sealed record WatchFilter(string GroupResource, string? Namespace, LabelSelector Labels, FieldSelector Fields)
{
    public bool Matches(JsonObject o) =>
        (Namespace is null || ObjectMeta.Namespace(o) == Namespace) && Labels.Matches(ObjectMeta.Labels(o)) && Fields.Matches(o);

    /// <summary>
    /// What a watcher with this filter sees of a stored event, as kube-apiserver's watch cache decides: an object
    /// that starts matching is ADDED, one that stops matching is DELETED (its previous state, at the event's
    /// version), one that matches neither before nor after is not seen.
    /// </summary>
    public (WatchEventType Type, JsonObject Object)? View(StoredEvent e)
    {
        if (e.GroupResource != GroupResource) return null;
        var now = Matches(e.Object);
        var before = e.Previous is not null && Matches(e.Previous);
        switch (e.Type)
        {
            case WatchEventType.Deleted:
                return now ? (WatchEventType.Deleted, e.Object) : null;
            case WatchEventType.Added:
                return now ? (WatchEventType.Added, e.Object) : null;
            default:
                if (now && before) return (WatchEventType.Modified, e.Object);
                if (now) return (WatchEventType.Added, e.Object);
                if (before)
                {
                    var gone = (JsonObject)e.Previous!.DeepClone();
                    ObjectMeta.Metadata(gone)["resourceVersion"] = e.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return (WatchEventType.Deleted, gone);
                }
                return null;
        }
    }
}
