using Mesh.FakeKubeApi.Faults;
using Mesh.FakeKubeApi.Storage;
using Microsoft.AspNetCore.Http;

namespace Mesh.FakeKubeApi.Http;

/// <summary>
/// Routes one request: control endpoints (<c>/_fake/</c>), authentication, discovery, then the resource verbs,
/// with the scripted faults applied and every request logged.
/// </summary>
internal sealed class ApiRouter(ObjectStore store, FaultPlan faults, ActiveWatches active, RequestLog log,
    ControlEndpoints control, string? bearerToken, Func<string> serverAddress)
{
    private readonly ResourceHandlers _resources = new(store);
    private readonly WatchHandler _watches = new(store, active);

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/_fake/", StringComparison.Ordinal))
        {
            await control.HandleAsync(context, path);
            return;
        }

        var target = RequestTarget.Parse(path, store.Types);
        var verb = VerbOf(context, target);
        try
        {
            if (bearerToken is not null && context.Request.Headers.Authorization.ToString() != $"Bearer {bearerToken}")
            {
                throw new ApiException(401, "Unauthorized", "Unauthorized");
            }
            if (target is null)
            {
                if (context.Request.Method == "GET" && Discovery.IsDiscoveryPath(path) &&
                    Discovery.Answer(path, store.Types, serverAddress()) is { } document)
                {
                    await Json.WriteAsync(context, 200, document);
                    return;
                }
                throw new ApiException(404, "NotFound", "the server could not find the requested resource");
            }

            var resource = target.Subresource is { } sub ? $"{target.Type.Plural}/{sub}" : target.Type.Plural;
            if (faults.IsDenied(verb, resource))
            {
                var scope = target.Namespace is { } ns ? $"in the namespace \"{ns}\"" : "at the cluster scope";
                var group = target.Type.Group.Length == 0 ? "\"\"" : $"\"{target.Type.Group}\"";
                throw new ApiException(403, "Forbidden",
                    $"{target.Type.GroupResource} is forbidden: User \"system:serviceaccount:mesh:mesh\" cannot {verb} resource \"{resource}\" in API group {group} {scope}");
            }
            var fault = faults.Take(verb, target.Type.Plural, target.Type.Group);
            switch (fault)
            {
                case Fault.Cut:
                    context.Abort();
                    return;
                case Fault.Fail fail:
                    if (fail.RetryAfter is { } after) context.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    throw new ApiException(fail.Status, ReasonOf(fail.Status), $"injected by the test ({fail.Status})");
            }
            await DispatchAsync(context, target, verb, fault);
        }
        catch (ApiException e)
        {
            if (!context.Response.HasStarted) await Json.WriteAsync(context, e.Code, e.ToStatus());
        }
        finally
        {
            var statusCode = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 0 : context.Response.StatusCode;
            log.Add(new RequestRecord(DateTimeOffset.UtcNow, context.Request.Method, path, context.Request.QueryString.Value ?? "", verb,
                target?.Type.Group, target?.Type.Plural, target?.Namespace, target?.Name, statusCode));
        }
    }

    private Task DispatchAsync(HttpContext context, RequestTarget t, string verb, Fault? fault) => verb switch
    {
        "watch" => _watches.ServeAsync(context, t, fault),
        "list" => _resources.ListAsync(context, t),
        "get" => _resources.GetAsync(context, t),
        "create" => _resources.CreateAsync(context, t),
        "update" => _resources.ReplaceAsync(context, t),
        "patch" => _resources.PatchAsync(context, t),
        "delete" => _resources.DeleteAsync(context, t),
        "deletecollection" => _resources.DeleteCollectionAsync(context, t),
        _ => throw new ApiException(405, "MethodNotAllowed", $"{context.Request.Method} is not supported here"),
    };

    /// <summary>The verb as RBAC names it.</summary>
    private static string VerbOf(HttpContext context, RequestTarget? t)
    {
        var method = context.Request.Method;
        if (t is null) return method.ToLowerInvariant();
        var collection = t.Name is null;
        return method switch
        {
            "GET" when collection && context.Request.Query["watch"].ToString() is "true" or "1" => "watch",
            "GET" when collection => "list",
            "GET" => "get",
            "POST" when collection => "create",
            "PUT" when !collection => "update",
            "PATCH" when !collection => "patch",
            "DELETE" when collection => "deletecollection",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
    }

    private static string ReasonOf(int status) => status switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Expired",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };
}
