using System.Text.Json.Nodes;

namespace Mesh.FakeKubeApi;

/// <summary>
/// A request the fake refuses, as the API server would: HTTP status, Status reason (NotFound, AlreadyExists,
/// Conflict, Invalid, BadRequest, Expired, ...) and message. Rendered as a <c>Status</c> object.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException()
    {
        Reason = "InternalError";
    }

    public ApiException(string message)
        : base(message)
    {
        Reason = "InternalError";
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "InternalError";
    }

    public ApiException(int code, string reason, string message)
        : base(message)
    {
        Code = code;
        Reason = reason;
    }

    public int Code { get; } = 500;

    public string Reason { get; }

    public static ApiException NotFound(string groupResource, string name) =>
        new(404, "NotFound", $"{groupResource} \"{name}\" not found");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException Conflict(string groupResource, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {groupResource} \"{name}\": {why}");

    public JsonObject ToStatus() => StatusObject(Code, Reason, Message);

    /// <summary>A <c>metav1.Status</c> failure object.</summary>
    public static JsonObject StatusObject(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };
}
