using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Status;

/// <summary>
/// Computes the new <c>status.conditions</c> of an object from its current state and the wanted
/// <see cref="AcceptedCondition"/>: null when nothing would change (so nothing is written), else the whole list,
/// other controllers' conditions kept as they are. <c>lastTransitionTime</c> moves only when the condition's status
/// (True/False) changes, as the API conventions ask.
/// </summary>
internal static class ConditionUpdate
{
    public static JsonArray? Compute(JsonElement current, AcceptedCondition wanted, DateTimeOffset now)
    {
        var conditions = new JsonArray();
        JsonElement? existing = null;
        if (current.ValueKind == JsonValueKind.Object &&
            current.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object &&
            status.TryGetProperty("conditions", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in list.EnumerateArray())
            {
                if (c.ValueKind == JsonValueKind.Object && Text(c, "type") == AcceptedCondition.Type) existing ??= c;
            }
        }

        var message = wanted.Message.Length > AcceptedCondition.MaxMessageLength ? wanted.Message[..AcceptedCondition.MaxMessageLength] : wanted.Message;
        if (existing is { } e &&
            Text(e, "status") == wanted.Status && Text(e, "reason") == wanted.Reason && Text(e, "message") == message &&
            e.TryGetProperty("observedGeneration", out var g) && g.TryGetInt64(out var generation) && generation == wanted.ObservedGeneration &&
            Text(e, "lastTransitionTime") is not null)
        {
            return null;
        }

        var transition = existing is { } old && Text(old, "status") == wanted.Status && Text(old, "lastTransitionTime") is { } kept
            ? kept
            : now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var condition = new JsonObject
        {
            ["type"] = AcceptedCondition.Type,
            ["status"] = wanted.Status,
            ["observedGeneration"] = wanted.ObservedGeneration,
            ["lastTransitionTime"] = transition,
            ["reason"] = wanted.Reason,
            ["message"] = message,
        };

        var replaced = false;
        if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty("status", out var s2) && s2.ValueKind == JsonValueKind.Object &&
            s2.TryGetProperty("conditions", out var l2) && l2.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in l2.EnumerateArray())
            {
                if (c.ValueKind == JsonValueKind.Object && Text(c, "type") == AcceptedCondition.Type)
                {
                    if (!replaced) conditions.Add(condition);
                    replaced = true;
                }
                else
                {
                    conditions.Add(JsonNode.Parse(c.GetRawText()));
                }
            }
        }
        if (!replaced) conditions.Add(condition);
        return conditions;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
