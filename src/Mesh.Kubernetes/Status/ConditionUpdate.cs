using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.Kubernetes.Conversion;

namespace Mesh.Kubernetes.Status;

/// <summary>
/// Computes the status fields to write on an object from its current state and the <see cref="WantedStatus"/>: null
/// when nothing would change (so nothing is written), else <c>conditions</c> (the whole list, other controllers'
/// conditions kept as they are) and/or <c>lastAccepted</c>. <c>lastTransitionTime</c> moves only when a condition's
/// status (True/False) changes, as the API conventions ask.
/// </summary>
internal static class ConditionUpdate
{
    public static JsonObject? Compute(JsonElement current, WantedStatus wanted, DateTimeOffset now)
    {
        var status = current.ValueKind == JsonValueKind.Object && current.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object
            ? s
            : default;
        var existing = new List<JsonElement>();
        if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            existing.AddRange(list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object));
        }

        var patch = new JsonObject();
        if (Conditions(existing, wanted, now) is { } conditions) patch["conditions"] = conditions;
        if (wanted.LastAccepted is { } last && !RecordedIs(status, last)) patch[LastAcceptedSpec.Field] = last.ToJson();
        return patch.Count == 0 ? null : patch;
    }

    private static JsonArray? Conditions(List<JsonElement> existing, WantedStatus wanted, DateTimeOffset now)
    {
        var changed = false;
        var result = new JsonArray();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in existing)
        {
            var type = Text(c, "type");
            if (type is not null && wanted.Removed.Contains(type))
            {
                changed = true;
                continue;
            }
            if (type is not null && wanted.Conditions.FirstOrDefault(w => w.Type == type) is { } w)
            {
                if (!placed.Add(type))
                {
                    changed = true; // a duplicate of a type Mesh writes: keep one
                    continue;
                }
                if (!Matches(c, w)) changed = true;
                result.Add(Build(w, c, now));
                continue;
            }
            result.Add(JsonNode.Parse(c.GetRawText()));
        }
        foreach (var w in wanted.Conditions.Where(w => !placed.Contains(w.Type)))
        {
            changed = true;
            result.Add(Build(w, null, now));
        }
        return changed ? result : null;
    }

    private static bool Matches(JsonElement e, StatusCondition wanted) =>
        Text(e, "status") == wanted.StatusText && Text(e, "reason") == wanted.Reason && Text(e, "message") == Message(wanted) &&
        e.TryGetProperty("observedGeneration", out var g) && g.TryGetInt64(out var generation) && generation == wanted.ObservedGeneration &&
        Text(e, "lastTransitionTime") is not null;

    private static JsonObject Build(StatusCondition wanted, JsonElement? old, DateTimeOffset now)
    {
        var transition = old is { } o && Text(o, "status") == wanted.StatusText && Text(o, "lastTransitionTime") is { } kept
            ? kept
            : now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["type"] = wanted.Type,
            ["status"] = wanted.StatusText,
            ["observedGeneration"] = wanted.ObservedGeneration,
            ["lastTransitionTime"] = transition,
            ["reason"] = wanted.Reason,
            ["message"] = Message(wanted),
        };
    }

    private static bool RecordedIs(JsonElement status, LastAcceptedSpec wanted) =>
        status.ValueKind == JsonValueKind.Object && status.TryGetProperty(LastAcceptedSpec.Field, out var last) && last.ValueKind == JsonValueKind.Object &&
        last.TryGetProperty("generation", out var g) && g.TryGetInt64(out var generation) && generation == wanted.Generation &&
        Text(last, "spec") == wanted.Spec;

    private static string Message(StatusCondition c) =>
        c.Message.Length > StatusCondition.MaxMessageLength ? c.Message[..StatusCondition.MaxMessageLength] : c.Message;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
