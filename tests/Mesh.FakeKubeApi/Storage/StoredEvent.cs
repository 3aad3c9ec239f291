using System.Text.Json.Nodes;

namespace Mesh.FakeKubeApi.Storage;

/// <summary>
/// One write in the store's history, like an etcd revision: its resourceVersion, the type it touched, what
/// happened, the object after it (for a deletion: the last state, stamped with the deletion's version) and before
/// it. Objects are never mutated once stored; readers clone before changing them.
/// </summary>
internal sealed record StoredEvent(long ResourceVersion, string GroupResource, WatchEventType Type, JsonObject Object, JsonObject? Previous)
{
    public string Namespace => ObjectMeta.Namespace(Object);

    public string Name => ObjectMeta.Name(Object);
}
