using System.Globalization;
using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Faults;
using Mesh.FakeKubeApi.Storage;
using Microsoft.AspNetCore.Http;

namespace Mesh.FakeKubeApi.Http;

/// <summary>
/// The test's remote control when the fake runs as a separate process (not part of any Kubernetes API):
/// <list type="bullet">
/// <item><c>GET /_fake/state</c>: resourceVersion, compaction point, open watches.</item>
/// <item><c>POST /_fake/compact[?resourceVersion=N]</c>; <c>POST /_fake/bookmark</c>.</item>
/// <item><c>POST /_fake/faults</c> with <c>{"action": fail|cut|stall|expire|deny|allow|stall-active|resume-active|cut-active|expire-active,
/// "count", "status", "retryAfterSeconds", "verb", "resource", "group", "form": event|http}</c>; <c>DELETE /_fake/faults</c>.</item>
/// <item><c>GET /_fake/requests</c>, <c>DELETE /_fake/requests</c>: the request log.</item>
/// </list>
/// </summary>
internal sealed class ControlEndpoints(ObjectStore store, FaultPlan faults, ActiveWatches active, RequestLog log)
{
    public async Task HandleAsync(HttpContext context, string path)
    {
        try
        {
            var method = context.Request.Method;
            JsonNode answer = (method, path) switch
            {
                ("GET", "/_fake/state") => new JsonObject
                {
                    ["resourceVersion"] = store.ResourceVersion,
                    ["compactedResourceVersion"] = store.CompactedResourceVersion,
                    ["watches"] = active.Count,
                },
                ("POST", "/_fake/compact") => Compact(context),
                ("POST", "/_fake/bookmark") => Done(() => store.Bookmark()),
                ("POST", "/_fake/faults") => Fault(await Json.ReadObjectAsync(context)),
                ("DELETE", "/_fake/faults") => Done(faults.Clear),
                ("GET", "/_fake/requests") => new JsonArray(log.Snapshot().Select(r => (JsonNode)new JsonObject
                {
                    ["time"] = r.Time.ToString("O", CultureInfo.InvariantCulture),
                    ["method"] = r.Method,
                    ["path"] = r.Path,
                    ["query"] = r.Query,
                    ["verb"] = r.Verb,
                    ["group"] = r.Group,
                    ["resource"] = r.Resource,
                    ["namespace"] = r.Namespace,
                    ["name"] = r.Name,
                    ["status"] = r.Status,
                }).ToArray()),
                ("DELETE", "/_fake/requests") => Done(log.Clear),
                _ => throw new ApiException(404, "NotFound", $"no control endpoint {method} {path}"),
            };
            await Json.WriteAsync(context, 200, answer);
        }
        catch (ApiException e)
        {
            await Json.WriteAsync(context, e.Code, e.ToStatus());
        }
    }

    private JsonObject Compact(HttpContext context)
    {
        long? at = context.Request.Query["resourceVersion"].ToString() is { Length: > 0 } text ? ResourceHandlers.ParseVersion(text) : null;
        store.Compact(at);
        return new JsonObject { ["compactedResourceVersion"] = store.CompactedResourceVersion };
    }

    private JsonObject Fault(JsonObject request)
    {
        var count = (int?)request["count"] ?? 1;
        var match = new FaultMatch((string?)request["verb"], (string?)request["resource"], (string?)request["group"]);
        TimeSpan? retryAfter = request["retryAfterSeconds"] is JsonValue r ? TimeSpan.FromSeconds(r.GetValue<double>()) : null;
        var affected = 0;
        switch ((string?)request["action"])
        {
            case "fail":
                faults.FailNext(count, (int?)request["status"] ?? throw ApiException.BadRequest("fail needs a status"), match, retryAfter);
                break;
            case "cut":
                faults.CutNext(count, match);
                break;
            case "stall":
                faults.StallNextWatches(count, match);
                break;
            case "expire":
                faults.ExpireNextWatches(count, (string?)request["form"] == "http" ? ExpiryForm.HttpStatus : ExpiryForm.ErrorEvent, match);
                break;
            case "deny":
                faults.Deny(match.Verb ?? throw ApiException.BadRequest("deny needs a verb"), match.Resource ?? throw ApiException.BadRequest("deny needs a resource"));
                break;
            case "allow":
                faults.Allow(match.Verb ?? throw ApiException.BadRequest("allow needs a verb"), match.Resource ?? throw ApiException.BadRequest("allow needs a resource"));
                break;
            case "stall-active":
                affected = faults.StallActiveWatches(match with { Verb = null });
                break;
            case "resume-active":
                affected = faults.ResumeActiveWatches(match with { Verb = null });
                break;
            case "cut-active":
                affected = faults.CutActiveWatches(match with { Verb = null });
                break;
            case "expire-active":
                affected = faults.ExpireActiveWatches(match with { Verb = null });
                break;
            default:
                throw ApiException.BadRequest($"unknown fault action {(string?)request["action"]}");
        }
        return new JsonObject { ["ok"] = true, ["affected"] = affected };
    }

    private static JsonObject Done(Action action)
    {
        action();
        return new JsonObject { ["ok"] = true };
    }
}
