using System.Text;
using System.Text.Json.Nodes;
using Mesh.FakeKubeApi.Resources;
using Microsoft.AspNetCore.Http;

namespace Mesh.FakeKubeApi.Http;

/// <summary>Writing JSON answers, and objects as a given version presents them.</summary>
internal static class Json
{
    public static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, context.RequestAborted);
    }

    /// <summary>A stored object as the requested version shows it: apiVersion and kind first, then the rest.</summary>
    public static JsonObject Present(JsonObject stored, ResourceType type, string version)
    {
        var o = new JsonObject
        {
            ["apiVersion"] = type.ApiVersion(version),
            ["kind"] = type.Kind,
        };
        foreach (var (k, v) in stored)
        {
            if (k is "apiVersion" or "kind") continue;
            o[k] = v?.DeepClone();
        }
        return o;
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        var type = context.Request.ContentType ?? "";
        if (type.Contains("yaml", StringComparison.OrdinalIgnoreCase)) return Patching.YamlJson.ParseObject(text);
        return ParseObject(text);
    }

    public static async Task<JsonNode> ReadNodeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        try
        {
            return JsonNode.Parse(text) ?? throw ApiException.BadRequest("the body is null");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest($"the body is not JSON: {e.Message}");
        }
    }

    public static JsonObject ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw ApiException.BadRequest("the body must be a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest($"the body is not JSON: {e.Message}");
        }
    }
}
