using System.Text.Json;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using Mesh.Policy.Snapshots;
using Mesh.Policy.State;
using static Mesh.Policy.Tests.PolicyWorld;
using static Mesh.Tests.Shared.ManifestText;

namespace Mesh.Policy.Tests;

public class SnapshotTests
{
    [Fact]
    public void Json_form_has_the_seed_fields_identity_version_and_rules()
    {
        var snapshot = From(MeshConfig(enableEgress: true), SeedManifests.RouteGroupAndEgress).Snapshot();
        using var doc = JsonDocument.Parse(snapshot.Json);
        var root = doc.RootElement;
        Assert.Equal("error", root.GetProperty("Spec").GetProperty("SidecarLogLevel").GetString());
        Assert.True(root.GetProperty("Spec").GetProperty("Traffic").GetProperty("EnableEgress").GetBoolean());
        Assert.Equal("curl/curl", root.GetProperty("Identity").GetString());
        Assert.Equal(snapshot.Version, root.GetProperty("Version").GetString());
        var rule = root.GetProperty("EgressRules")[0];
        Assert.Equal("curl/httpbin-80", rule.GetProperty("Policy").GetString());
        Assert.Equal("/get", rule.GetProperty("Routes")[0].GetProperty("PathRegex").GetString());
    }

    [Fact]
    public void The_version_made_from_each_rule_s_kept_json_is_the_hash_of_the_document_written_whole()
    {
        var first = From(MeshConfig(enableEgress: false),
            RouteGroup("api", ("get \"quoted\" é", "/get/.*", ["GET", "HEAD"], [("x-tenant", "^t-[0-9]+$"), ("user-agent", "curl/ü")])),
            Egress("api", "curl/curl", 80, "http", hosts: ["httpbin.org", "*.example.com"], routeGroups: ["api", "missing"]),
            Egress("db", "curl/curl", 5432, "tcp", ipAddresses: ["10.0.0.0/8", "fd00::/8"]),
            Egress("tls", "curl/curl", 443, "https", hosts: ["api.github.com"])).Snapshot();
        AssertVersionIsTheWholeDocuments(first);

        // The next snapshot keeps the rule instances it did not change (as a proxy's decoder does): their kept JSON
        // stands for them, the changed one is written anew.
        var changed = From(Egress("db", "curl/curl", 5433, "tcp", ipAddresses: ["10.0.0.0/8"])).Snapshot().Rules.Single();
        var next = EgressSnapshot.FromParts(first.Identity, first.EnableEgress, first.EnableEgressPolicy, first.SidecarLogLevel,
            [.. first.Rules.Select(r => r.Ref.Port == 5432 ? changed : r)], first.Issues, first);
        AssertVersionIsTheWholeDocuments(next);
        Assert.NotEqual(first.Version, next.Version);
    }

    private static void AssertVersionIsTheWholeDocuments(EgressSnapshot snapshot)
    {
        var whole = Document(snapshot, RuleJson.WriteEach);
        Assert.Equal(whole, Document(snapshot, RuleJson.UseKept)); // before any rule of a compiled snapshot is kept
        Assert.Equal(whole, Document(snapshot, RuleJson.UseAndKeep));
        Assert.Equal(whole, Document(snapshot, RuleJson.UseKept)); // every rule kept
        Assert.Equal(SnapshotJson.VersionOf(System.Text.Encoding.UTF8.GetBytes(whole)), snapshot.Version);
    }

    private static string Document(EgressSnapshot snapshot, RuleJson rules)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        SnapshotJson.WriteDocument(snapshot, output, null, indented: false, rules);
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Version_depends_on_content_only_not_on_file_names_or_load_order()
    {
        var a = ClusterState.Empty;
        foreach (var r in ManifestLoader.LoadText(SeedManifests.Httpbin80 + "\n---\n" + SeedManifests.Tcp443, "/one/machine/a.yaml").Resources) a = a.Upsert(r);
        var b = ClusterState.Empty;
        foreach (var r in ManifestLoader.LoadText(SeedManifests.Tcp443 + "\n---\n" + SeedManifests.Httpbin80, "C:/other/b.yaml").Resources.Reverse()) b = b.Upsert(r);
        var va = SnapshotCompiler.Compile(a, Curl).Version;
        Assert.Equal(va, SnapshotCompiler.Compile(b, Curl).Version);
        Assert.Equal(16, va.Length);

        var c = b.Upsert(ManifestLoader.LoadText(SeedManifests.Httpbin443, "x").Resources[0]);
        Assert.NotEqual(va, SnapshotCompiler.Compile(c, Curl).Version);
    }

    [Fact]
    public void Only_the_configured_meshconfig_counts()
    {
        var other = MeshConfig(enableEgress: true).Replace("name: mesh-config", "name: osm-mesh-config", StringComparison.Ordinal);
        Assert.False(From(other).Snapshot().EnableEgress);
        var key = new ResourceKey(ResourceKind.MeshConfig, "mesh-system", "osm-mesh-config");
        var state = ClusterState.Create(key).Upsert(ManifestLoader.LoadText(other, "x").Resources[0]);
        Assert.True(SnapshotCompiler.Compile(state, Curl).EnableEgress);
    }

    [Fact]
    public void Egress_in_a_namespace_not_enrolled_does_not_count()
    {
        var world = From(SeedManifests.Httpbin443);
        var state = world.State.WithEnrolledNamespaces(["other"]);
        Assert.Empty(SnapshotCompiler.Compile(state, Curl).Rules);
        Assert.Single(SnapshotCompiler.Compile(state.WithEnrolledNamespaces(["curl"]), Curl).Rules);
    }
}
