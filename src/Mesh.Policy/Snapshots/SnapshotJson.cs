using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mesh.Policy.Snapshots;

/// <summary>
/// The JSON form of a snapshot: the seed's <c>{"Spec":{"SidecarLogLevel":..,"Traffic":{"EnableEgress":..}}}</c> plus
/// identity, version, compiled rules and issues. Source file names and lines are left out on purpose: the version is a
/// hash of this content, and must not differ between two machines that load the same objects from different paths.
/// </summary>
internal static class SnapshotJson
{
    public static string Write(EgressSnapshot snapshot, out string version)
    {
        var content = new ArrayBufferWriter<byte>();
        WriteDocument(snapshot, content, null);
        version = Convert.ToHexStringLower(SHA256.HashData(content.WrittenSpan))[..16];
        var final = new ArrayBufferWriter<byte>();
        WriteDocument(snapshot, final, version);
        return Encoding.UTF8.GetString(final.WrittenSpan);
    }

    private static void WriteDocument(EgressSnapshot s, IBufferWriter<byte> output, string? version)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("Identity", s.Identity.ToString());
        if (version is not null) w.WriteString("Version", version);
        w.WriteStartObject("Spec");
        w.WriteString("SidecarLogLevel", s.SidecarLogLevel);
        w.WriteStartObject("Traffic");
        w.WriteBoolean("EnableEgress", s.EnableEgress);
        w.WriteEndObject();
        w.WriteStartObject("FeatureFlags");
        w.WriteBoolean("EnableEgressPolicy", s.EnableEgressPolicy);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("EgressRules");
        foreach (var rule in s.Rules) WriteRule(w, rule);
        w.WriteEndArray();

        w.WriteStartArray("Issues");
        foreach (var issue in s.Issues) w.WriteStringValue(issue);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter w, CompiledRule rule)
    {
        w.WriteStartObject();
        w.WriteString("Policy", $"{rule.Ref.Policy.Namespace}/{rule.Ref.Policy.Name}");
        w.WriteNumber("Port", rule.Ref.Port);
        w.WriteString("Protocol", rule.Ref.ProtocolName);
        WriteStrings(w, "Hosts", rule.Hosts.Select(h => h.ToString()));
        WriteStrings(w, "IPAddresses", rule.IPAddresses.Select(c => c.ToString()));
        if (rule.Routes is { } routes)
        {
            w.WriteStartArray("Routes");
            foreach (var route in routes)
            {
                w.WriteStartObject();
                w.WriteString("RouteGroup", route.Group);
                w.WriteString("Name", route.Name);
                if (route.PathRegex is not null) w.WriteString("PathRegex", route.PathRegex);
                WriteStrings(w, "Methods", route.Methods);
                w.WriteStartObject("Headers");
                foreach (var (name, pattern) in route.HeaderPatterns) w.WriteString(name, pattern);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (rule.MissingRouteGroups.Count > 0) WriteStrings(w, "MissingRouteGroups", rule.MissingRouteGroups);
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
