using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Resources;

namespace Mesh.FakeKubeApi.Storage;

public sealed partial class ObjectStore
{
    /// <summary>
    /// Creates an object (POST): sets uid, resourceVersion, generation 1 and creationTimestamp, drops status when
    /// the type has a status subresource, requires the namespace to exist. 409 AlreadyExists if it does.
    /// </summary>
    public JsonObject Create(ResourceType type, string? ns, JsonObject body, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(body);
        lock (_gate)
        {
            var o = (JsonObject)body.DeepClone();
            var meta = ObjectMeta.Metadata(o);
            ns = ResolveNamespace(type, ns, o);
            var name = ObjectMeta.Name(o);
            if (name.Length == 0 && (string?)meta["generateName"] is { Length: > 0 } prefix)
            {
                name = prefix + Guid.NewGuid().ToString("N")[..5];
                meta["name"] = name;
            }
            if (name.Length == 0) throw new ApiException(422, "Invalid", $"{type.Kind} is invalid: metadata.name: Required value: name or generateName is required");
            if (type.Namespaced && type != BuiltInTypes.Namespaces && _types.ByGroupResource(BuiltInTypes.Namespaces.GroupResource) is not null &&
                !Table(BuiltInTypes.Namespaces.GroupResource).ContainsKey(Key(BuiltInTypes.Namespaces, null, ns!)))
            {
                throw ApiException.NotFound("namespaces", ns!);
            }
            var key = Key(type, ns, name);
            if (Table(type.GroupResource).ContainsKey(key))
            {
                throw new ApiException(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists");
            }
            meta["uid"] = Guid.NewGuid().ToString();
            meta["generation"] = 1L;
            meta["creationTimestamp"] = ObjectMeta.Timestamp(_time.GetUtcNow());
            meta.Remove("resourceVersion");
            meta.Remove("deletionTimestamp");
            if (type.HasStatus) o.Remove("status");
            if (type == BuiltInTypes.Namespaces) o["status"] = new JsonObject { ["phase"] = "Active" };
            if (type == BuiltInTypes.CustomResourceDefinitions && EstablishCustomResourceDefinitions) o["status"] = EstablishedCrdStatus(o, _time.GetUtcNow());
            if (dryRun) return o;
            return Commit(type, WatchEventType.Added, o, previous: null);
        }
    }

    /// <summary>
    /// Replaces an object (PUT), or only its status (PUT on /status). A resourceVersion in the body must be the
    /// current one (409 otherwise). Identity fields are kept; generation grows when the spec changes; a write that
    /// changes nothing is not a write (no new resourceVersion, no event).
    /// </summary>
    public JsonObject Replace(ResourceType type, string? ns, string name, JsonObject body, bool statusOnly = false, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(body);
        lock (_gate)
        {
            var current = Existing(type, ns, name);
            var bodyName = ObjectMeta.Name(body);
            if (bodyName.Length > 0 && bodyName != name)
            {
                throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }
            return Write(type, current, (JsonObject)body.DeepClone(), statusOnly, dryRun);
        }
    }

    /// <summary>
    /// Patches an object: <paramref name="patch"/> turns a copy of the current object into the new one. With
    /// <paramref name="createIfMissing"/> (server-side apply) a missing object is created from
    /// <paramref name="patch"/> applied to an empty one.
    /// </summary>
    public JsonObject Patch(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> patch,
        bool statusOnly = false, bool createIfMissing = false, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(patch);
        lock (_gate)
        {
            if (!Table(type.GroupResource).TryGetValue(Key(type, ns, name), out var current))
            {
                if (!createIfMissing) throw ApiException.NotFound(type.GroupResource, name);
                var fresh = patch(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
                if (type.Namespaced) ObjectMeta.Metadata(fresh)["namespace"] ??= ns;
                return Create(type, ns, fresh, dryRun);
            }
            var patched = patch((JsonObject)current.DeepClone());
            var patchedName = ObjectMeta.Name(patched);
            if (patchedName != name) throw ApiException.BadRequest($"the patch changes metadata.name from {name} to {patchedName}");
            return Write(type, current, patched, statusOnly, dryRun);
        }
    }

    /// <summary>
    /// Deletes an object (at once: no finalizers, no grace). Deleting a namespace deletes what is in it first;
    /// deleting a CRD deletes its objects and stops serving its type.
    /// </summary>
    public JsonObject Delete(ResourceType type, string? ns, string name, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_gate)
        {
            var current = Existing(type, ns, name);
            if (dryRun) return (JsonObject)current.DeepClone();
            if (type == BuiltInTypes.Namespaces)
            {
                foreach (var (gr, table) in _objects.ToList())
                {
                    var t = _types.ByGroupResource(gr);
                    if (t is null || !t.Namespaced) continue;
                    foreach (var o in table.Values.Where(o => ObjectMeta.Namespace(o) == name).ToList()) Remove(t, o);
                }
            }
            if (type == BuiltInTypes.CustomResourceDefinitions && ResourceTypes.FromCrd(current) is { } defined)
            {
                foreach (var o in Table(defined.GroupResource).Values.ToList()) Remove(defined, o);
            }
            return (JsonObject)Remove(type, current).DeepClone();
        }
    }

    private JsonObject Existing(ResourceType type, string? ns, string name) =>
        Table(type.GroupResource).TryGetValue(Key(type, ns, name), out var o) ? o : throw ApiException.NotFound(type.GroupResource, name);

    private JsonObject Write(ResourceType type, JsonObject current, JsonObject wanted, bool statusOnly, bool dryRun)
    {
        var name = ObjectMeta.Name(current);
        var currentVersion = ObjectMeta.ResourceVersion(current);
        if (ObjectMeta.ResourceVersion(wanted) is { Length: > 0 } precondition && precondition != currentVersion)
        {
            throw ApiException.Conflict(type.GroupResource, name, "the object has been modified; please apply your changes to the latest version and try again");
        }

        JsonObject next;
        if (statusOnly)
        {
            // The status subresource changes status only.
            next = (JsonObject)current.DeepClone();
            SetOrRemove(next, "status", wanted["status"]);
        }
        else
        {
            next = wanted;
            if (type.HasStatus) SetOrRemove(next, "status", current["status"]);
            var meta = ObjectMeta.Metadata(next);
            var old = ObjectMeta.Metadata(current);
            foreach (var field in new[] { "uid", "creationTimestamp", "generation", "namespace", "name" })
            {
                // Absent stays absent: a cluster-scoped object has no namespace, not a null one (else every
                // update of it would differ from what is stored, and count as a write).
                if (old[field] is { } value) meta[field] = value.DeepClone();
                else meta.Remove(field);
            }
            if (!JsonNode.DeepEquals(ObjectMeta.Content(current), ObjectMeta.Content(next)))
            {
                meta["generation"] = (ObjectMeta.AsLong(old["generation"]) ?? 0) + 1;
            }
        }
        ObjectMeta.Metadata(next)["resourceVersion"] = currentVersion;
        if (ObjectMeta.SameState(current, next)) return (JsonObject)current.DeepClone();
        if (dryRun) return next;
        return Commit(type, WatchEventType.Modified, next, current);
    }

    private static void SetOrRemove(JsonObject o, string field, JsonNode? value)
    {
        if (value is null) o.Remove(field);
        else o[field] = value.DeepClone();
    }

    private JsonObject Remove(ResourceType type, JsonObject current)
    {
        var gone = (JsonObject)current.DeepClone();
        return Commit(type, WatchEventType.Deleted, gone, current);
    }

    /// <summary>Stamps the next resourceVersion, stores, records and announces one write. Caller holds the lock.</summary>
    private JsonObject Commit(ResourceType type, WatchEventType kind, JsonObject o, JsonObject? previous)
    {
        var rv = ++_resourceVersion;
        ObjectMeta.Metadata(o)["resourceVersion"] = Text(rv);
        Record(new StoredEvent(rv, type.GroupResource, kind, o, previous));
        _journal?.Append(_history[^1]);
        return (JsonObject)o.DeepClone();
    }

    /// <summary>Applies a write to the state, the history, the types (CRDs) and the watchers.</summary>
    private void Record(StoredEvent e)
    {
        var table = Table(e.GroupResource);
        var key = KeyOf(e.Object);
        if (e.Type == WatchEventType.Deleted) table.Remove(key);
        else table[key] = e.Object;
        _history.Add(e);
        if (e.GroupResource == BuiltInTypes.CustomResourceDefinitions.GroupResource)
        {
            if (e.Type == WatchEventType.Deleted)
            {
                if (ResourceTypes.FromCrd(e.Object) is { } removed) _types.Unregister(removed.GroupResource);
            }
            else if (ResourceTypes.FromCrd(e.Object) is { } defined)
            {
                _types.Register(defined);
            }
        }
        foreach (var w in _watchers) w.Offer(e);
    }

    /// <summary>Rebuilds state and history from the journal of a previous run.</summary>
    private void Replay(string directory)
    {
        foreach (var record in StoreJournal.Read(directory))
        {
            if (record["compact"] is JsonValue c)
            {
                Compact(c.GetValue<long>());
                continue;
            }
            var rv = record["rv"]!.GetValue<long>();
            var gr = record["gr"]!.GetValue<string>();
            var type = WatchEventTypes.Parse(record["type"]!.GetValue<string>());
            var o = (JsonObject)record["object"]!.DeepClone();
            Table(gr).TryGetValue(KeyOf(o), out var previous);
            _resourceVersion = rv;
            Record(new StoredEvent(rv, gr, type, o, previous));
        }
    }

    private static string? ResolveNamespace(ResourceType type, string? ns, JsonObject o)
    {
        var meta = ObjectMeta.Metadata(o);
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
            return null;
        }
        var given = (string?)meta["namespace"];
        if (ns is null)
        {
            ns = given ?? throw ApiException.BadRequest("the namespace of the object is required");
        }
        else if (given is not null && given != ns)
        {
            throw ApiException.BadRequest($"the namespace of the provided object ({given}) does not match the namespace sent on the request ({ns})");
        }
        meta["namespace"] = ns;
        return ns;
    }
}
