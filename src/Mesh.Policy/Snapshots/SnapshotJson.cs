using System.Buffers;
using System.Runtime.CompilerServices;
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
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? VersionBuffer;

    /// <summary>
    /// Each rule's unindented JSON, made once per rule instance. A proxy decodes a snapshot against the last one and
    /// keeps every rule whose bytes did not change (the same instance), so recomputing the version of a one-policy
    /// change writes one rule, not all of them: writing the whole document was 57% of decoding a 100-policy snapshot in
    /// the profile of 100 proxies receiving changes (bench/cluster, 2026-12-02 19:27 UTC; a one-policy change of 100 is
    /// now decoded in 29 µs instead of 68). Only decoded snapshots keep them: a controller compiles new rule instances
    /// for every snapshot, which nothing would look up again. A table beside the rule, not a field in it: a record's
    /// equality would compare the field.
    /// </summary>
    private static readonly ConditionalWeakTable<CompiledRule, byte[]> UnindentedRules = [];

    /// <summary>
    /// The content-derived version: a hash of the JSON form without the version itself, unindented. Every receiver of a
    /// snapshot recomputes it (the wire decoder checks the content against the version sent), and the indented form
    /// shown at <c>/config_dump</c> is made only when asked for: writing the JSON twice, indented, was half of decoding a
    /// 100-policy snapshot (the profile of 100 proxies receiving them, bench/cluster).
    /// </summary>
    /// <param name="keepRuleJson">Keep each rule's JSON for the snapshots that will reuse the rule (decoded ones).</param>
    public static string Version(EgressSnapshot snapshot, bool keepRuleJson)
    {
        // A buffer per thread, kept: the document is garbage the moment it is hashed (20 KB at 100 policies).
        var content = VersionBuffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        content.ResetWrittenCount();
        WriteDocument(snapshot, content, null, indented: false, keepRuleJson ? RuleJson.UseAndKeep : RuleJson.UseKept);
        var version = VersionOf(content.WrittenSpan);
        if (content.Capacity > 1024 * 1024) VersionBuffer = null; // a huge one is not kept
        return version;
    }

    /// <summary>The JSON form with its version, as <c>/config_dump</c> serves it.</summary>
    public static string Write(EgressSnapshot snapshot)
    {
        var final = new ArrayBufferWriter<byte>();
        WriteDocument(snapshot, final, snapshot.Version, indented: true, RuleJson.WriteEach);
        return Encoding.UTF8.GetString(final.WrittenSpan);
    }

    /// <summary>The version of a document's unindented bytes.</summary>
    internal static string VersionOf(ReadOnlySpan<byte> unindented) => Convert.ToHexStringLower(SHA256.HashData(unindented))[..16];

    /// <param name="rules">Whether a rule's kept unindented bytes (the same bytes the writer would write) stand for it.</param>
    internal static void WriteDocument(EgressSnapshot s, IBufferWriter<byte> output, string? version, bool indented, RuleJson rules)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = indented });
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
        foreach (var rule in s.Rules)
        {
            if (indented || rules == RuleJson.WriteEach) WriteRule(w, rule);
            else if (rules == RuleJson.UseAndKeep) w.WriteRawValue(UnindentedRules.GetValue(rule, UnindentedRule), skipInputValidation: true);
            else if (UnindentedRules.TryGetValue(rule, out var kept)) w.WriteRawValue(kept, skipInputValidation: true);
            else WriteRule(w, rule);
        }
        w.WriteEndArray();

        w.WriteStartArray("Issues");
        foreach (var issue in s.Issues) w.WriteStringValue(issue);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static byte[] UnindentedRule(CompiledRule rule)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer)) WriteRule(w, rule);
        return buffer.WrittenSpan.ToArray();
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

/// <summary>How the version's document writes each rule (<see cref="SnapshotJson.WriteDocument"/>).</summary>
internal enum RuleJson
{
    /// <summary>Every rule written out.</summary>
    WriteEach,

    /// <summary>A rule's kept JSON where it has one, otherwise written out.</summary>
    UseKept,

    /// <summary>A rule's kept JSON, made and kept where it has none.</summary>
    UseAndKeep,
}
