using System.Globalization;
using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Patching;
using Mesh.FakeKubeApi.Selectors;
using Mesh.FakeKubeApi.Storage;
using Microsoft.AspNetCore.Http;

namespace Mesh.FakeKubeApi.Http;

/// <summary>The REST verbs on objects: list, get, create, update, patch, delete, deletecollection.</summary>
internal sealed class ResourceHandlers(ObjectStore store)
{
    public async Task ListAsync(HttpContext context, RequestTarget t)
    {
        var q = context.Request.Query;
        var filter = Filter(t, q);
        long? at = null;
        var start = "";
        if (q["continue"].ToString() is { Length: > 0 } token)
        {
            (var rv, start) = ContinueToken.Decode(token);
            at = rv;
            if (rv < store.CompactedResourceVersion)
            {
                throw ApiException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }
        }
        else if (q["resourceVersion"].ToString() is { Length: > 0 } rvText && rvText != "0")
        {
            var rv = ParseVersion(rvText);
            if (q["resourceVersionMatch"].ToString() == "Exact") at = rv;
            else if (rv > store.ResourceVersion)
            {
                throw new ApiException(504, "Timeout", $"Too large resource version: {rv}, current: {store.ResourceVersion}");
            }
        }
        var (items, listVersion) = store.List(filter, at);
        var keyed = items.Select(o => (Key: ObjectStore.Key(t.Type, ObjectMeta.Namespace(o), ObjectMeta.Name(o)), Object: o))
            .Where(x => string.CompareOrdinal(x.Key, start) > 0)
            .ToList();
        var limit = int.TryParse(q["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        var page = keyed.Take(limit).ToList();
        var meta = new JsonObject { ["resourceVersion"] = listVersion.ToString(CultureInfo.InvariantCulture) };
        if (keyed.Count > page.Count)
        {
            meta["continue"] = ContinueToken.Encode(listVersion, page[^1].Key);
            meta["remainingItemCount"] = keyed.Count - page.Count;
        }
        var list = new JsonObject
        {
            ["apiVersion"] = t.ApiVersion,
            ["kind"] = t.Type.ListKind,
            ["metadata"] = meta,
            ["items"] = new JsonArray(page.Select(x => (JsonNode)Json.Present(x.Object, t.Type, t.Version)).ToArray()),
        };
        await Json.WriteAsync(context, 200, list);
    }

    public async Task GetAsync(HttpContext context, RequestTarget t)
    {
        var o = store.Get(t.Type, t.Namespace, t.Name!) ?? throw ApiException.NotFound(t.Type.GroupResource, t.Name!);
        await Json.WriteAsync(context, 200, Json.Present(o, t.Type, t.Version));
    }

    public async Task CreateAsync(HttpContext context, RequestTarget t)
    {
        var body = await Json.ReadObjectAsync(context);
        CheckTypeMeta(body, t);
        var created = store.Create(t.Type, t.Namespace, body, DryRun(context));
        await Json.WriteAsync(context, 201, Json.Present(created, t.Type, t.Version));
    }

    public async Task ReplaceAsync(HttpContext context, RequestTarget t)
    {
        var body = await Json.ReadObjectAsync(context);
        CheckTypeMeta(body, t);
        var written = store.Replace(t.Type, t.Namespace, t.Name!, body, t.Subresource == "status", DryRun(context));
        await Json.WriteAsync(context, 200, Json.Present(written, t.Type, t.Version));
    }

    public async Task PatchAsync(HttpContext context, RequestTarget t)
    {
        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        var statusOnly = t.Subresource == "status";
        var dryRun = DryRun(context);
        JsonObject written;
        switch (contentType)
        {
            case "application/merge-patch+json":
            case "application/strategic-merge-patch+json":
            {
                var patch = await Json.ReadNodeAsync(context);
                written = store.Patch(t.Type, t.Namespace, t.Name!, current => AsObject(MergePatch.Apply(current, patch)), statusOnly, dryRun: dryRun);
                break;
            }
            case "application/json-patch+json":
            {
                if (await Json.ReadNodeAsync(context) is not JsonArray operations) throw ApiException.BadRequest("a JSON patch is a list of operations");
                written = store.Patch(t.Type, t.Namespace, t.Name!, current => AsObject(JsonPatch.Apply(current, operations)), statusOnly, dryRun: dryRun);
                break;
            }
            case "application/apply-patch+yaml":
            {
                if (string.IsNullOrEmpty(context.Request.Query["fieldManager"]))
                {
                    throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
                }
                using var reader = new StreamReader(context.Request.Body);
                var applied = YamlJson.ParseObject(await reader.ReadToEndAsync(context.RequestAborted));
                CheckTypeMeta(applied, t, required: true);
                if (ObjectMeta.Name(applied) != t.Name) throw ApiException.BadRequest("the name of the applied object does not match the URL");
                // Server-side apply, simplified: create, or merge the applied configuration into the object. Field
                // ownership is not tracked, so fields a manager stops applying are not removed.
                written = store.Patch(t.Type, t.Namespace, t.Name!, current => AsObject(MergePatch.Apply(current, applied)), statusOnly,
                    createIfMissing: !statusOnly, dryRun);
                break;
            }
            default:
                throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");
        }
        await Json.WriteAsync(context, 200, Json.Present(written, t.Type, t.Version));
    }

    public async Task DeleteAsync(HttpContext context, RequestTarget t)
    {
        var deleted = store.Delete(t.Type, t.Namespace, t.Name!, DryRun(context));
        await Json.WriteAsync(context, 200, Json.Present(deleted, t.Type, t.Version));
    }

    public async Task DeleteCollectionAsync(HttpContext context, RequestTarget t)
    {
        var (items, _) = store.List(Filter(t, context.Request.Query), null);
        var dryRun = DryRun(context);
        var deleted = items.Select(o => store.Delete(t.Type, t.Type.Namespaced ? ObjectMeta.Namespace(o) : null, ObjectMeta.Name(o), dryRun)).ToList();
        var list = new JsonObject
        {
            ["apiVersion"] = t.ApiVersion,
            ["kind"] = t.Type.ListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = store.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(deleted.Select(o => (JsonNode)Json.Present(o, t.Type, t.Version)).ToArray()),
        };
        await Json.WriteAsync(context, 200, list);
    }

    public static WatchFilter Filter(RequestTarget t, IQueryCollection q) =>
        new(t.Type.GroupResource, t.Namespace, LabelSelector.Parse(q["labelSelector"]), FieldSelector.Parse(q["fieldSelector"]));

    public static long ParseVersion(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw ApiException.BadRequest($"invalid resource version \"{text}\"");

    private static bool DryRun(HttpContext context) => context.Request.Query["dryRun"].ToString() == "All";

    private static JsonObject AsObject(JsonNode? node) => node as JsonObject ?? throw new ApiException(422, "Invalid", "the patch does not leave an object");

    private static void CheckTypeMeta(JsonObject body, RequestTarget t, bool required = false)
    {
        var apiVersion = (string?)body["apiVersion"];
        var kind = (string?)body["kind"];
        if (required && (apiVersion is null || kind is null)) throw ApiException.BadRequest("apiVersion and kind are required");
        if (kind is not null && kind != t.Type.Kind) throw ApiException.BadRequest($"the kind {kind} does not match {t.Type.Kind}");
        if (apiVersion is not null && !t.Type.Versions.Any(v => t.Type.ApiVersion(v) == apiVersion))
        {
            throw ApiException.BadRequest($"the apiVersion {apiVersion} is not served for {t.Type.Kind}");
        }
    }
}
