using Mesh.Policy.Loading;
using Mesh.Policy.Model;

namespace Mesh.Policy.Tests;

public class ManifestLoaderTests
{
    private static ManifestLoadResult Load(string text) => ManifestLoader.LoadText(text, "policies/egress.yaml");

    [Fact]
    public void Seed_manifests_load_unchanged_with_every_field()
    {
        var result = Load(SeedManifests.RouteGroupAndEgress);
        Assert.Empty(result.Errors);
        var egress = Assert.Single(result.Resources.OfType<EgressPolicy>());
        Assert.Equal(new ResourceKey(ResourceKind.Egress, "curl", "httpbin-80"), egress.Key);
        Assert.Equal([new ServiceAccountIdentity("curl", "curl")], egress.Sources);
        Assert.Equal([HostPattern.Parse("httpbin.org")], egress.Hosts);
        Assert.Equal([new EgressPort(80, EgressProtocol.Http)], egress.Ports);
        Assert.Equal("egress-http-route", Assert.Single(egress.Matches).Name);
        var group = Assert.Single(result.Resources.OfType<HttpRouteGroup>());
        Assert.Equal("/get", Assert.Single(group.Matches).PathRegex);
        Assert.Equal("policies/egress.yaml:11", egress.Source.ToString());
    }

    [Theory]
    [InlineData("config.openservicemesh.io/v1alpha1")]
    [InlineData("config.openservicemesh.io/v1alpha2")]
    [InlineData("config.openservicemesh.io/v1alpha3")]
    [InlineData("config.flomesh.io/v1alpha3")]
    public void Every_meshconfig_api_version_users_have_is_accepted(string apiVersion)
    {
        var result = Load($"apiVersion: {apiVersion}\nkind: MeshConfig\nmetadata:\n  name: fsm-mesh-config\n  namespace: fsm-system\nspec:\n  traffic:\n    enableEgress: true\n  sidecar:\n    logLevel: debug\n");
        var config = Assert.IsType<MeshConfig>(Assert.Single(result.Resources));
        Assert.True(config.EnableEgress);
        Assert.True(config.EnableEgressPolicy);
        Assert.Equal("debug", config.SidecarLogLevel);
    }

    [Fact]
    public void Flomesh_egress_api_group_and_mixed_case_protocols_are_accepted()
    {
        var result = Load(SeedManifests.Tcp443.Replace("policy.openservicemesh.io", "policy.flomesh.io", StringComparison.Ordinal)
            .Replace("protocol: tcp", "protocol: TCP-Server-First", StringComparison.Ordinal));
        Assert.Empty(result.Errors);
        Assert.Equal(EgressProtocol.TcpServerFirst, Assert.Single(result.Resources.OfType<EgressPolicy>()).Ports[0].Protocol);
    }

    [Theory]
    [InlineData("protocol: tcp", "protocol: udp", "spec.ports[0].protocol", "'udp' is not a protocol", 13)]
    [InlineData("number: 443", "number: 70000", "spec.ports[0].number", "70000 is not a port number", 12)]
    [InlineData("number: 443", "number: http", "spec.ports[0].number", "must be an integer", 12)]
    [InlineData("kind: ServiceAccount", "kind: User", "spec.sources[0].kind", "'User' is not supported", 8)]
    [InlineData("    namespace: curl\n  ports", "  ports", "spec.sources[0].namespace", "is required", 8)]
    [InlineData("kind: Egress", "kind: Egress\nfoo: 1", "", "", 0)]
    public void Each_invalid_field_is_named_with_file_line_object_and_field(string find, string replace, string field, string message, int line)
    {
        var result = Load(SeedManifests.Tcp443.Replace(find, replace, StringComparison.Ordinal));
        if (field.Length == 0)
        {
            Assert.Empty(result.Errors); // unknown fields are ignored, as kubectl does by default
            return;
        }
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new ResourceKey(ResourceKind.Egress, "curl", "tcp-443"), error.Key);
        Assert.Equal($"policies/egress.yaml:{line}", error.Source.ToString());
        Assert.StartsWith($"policies/egress.yaml:{line}: Egress curl/tcp-443: {field}: ", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(result.Resources);
    }

    [Theory]
    [InlineData("  ipAddresses:\n  - 10.0.0.0/33", "spec.ipAddresses[0]", "invalid prefix length")]
    [InlineData("  ipAddresses:\n  - not-an-ip", "spec.ipAddresses[0]", "not an IP address")]
    [InlineData("  hosts:\n  - \"exa mple.com\"", "spec.hosts[0]", "not a host name")]
    [InlineData("  matches:\n  - apiGroup: policy.openservicemesh.io/v1alpha1\n    kind: UpstreamTrafficSetting\n    name: x", "spec.matches[0]", "UpstreamTrafficSetting of policy.openservicemesh.io/v1alpha1 is not supported")]
    public void Invalid_addresses_hosts_and_matches_are_rejected_with_the_field(string extra, string field, string message)
    {
        var result = Load(SeedManifests.Tcp443 + "\n" + extra);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_ports_need_hosts()
    {
        var result = Load(SeedManifests.Tcp443.Replace("protocol: tcp", "protocol: http", StringComparison.Ordinal));
        Assert.Equal("spec.hosts", Assert.Single(result.Errors).FieldPath);
    }

    [Fact]
    public void Missing_sources_and_ports_are_both_reported_at_once()
    {
        var result = Load("kind: Egress\napiVersion: policy.openservicemesh.io/v1alpha1\nmetadata:\n  name: e\n  namespace: n\nspec:\n  hosts: [a.com]\n");
        Assert.Equal(["spec.ports", "spec.sources"], result.Errors.Select(e => e.FieldPath).Order());
    }

    [Fact]
    public void One_bad_document_never_affects_the_others()
    {
        var result = Load(SeedManifests.Httpbin443 + "\n---\n" + SeedManifests.Tcp443.Replace("protocol: tcp", "protocol: quic", StringComparison.Ordinal) + "\n---\n" + SeedManifests.Httpbin80);
        Assert.Equal(["httpbin-443", "httpbin-80"], result.Resources.Select(r => r.Key.Name));
        Assert.Equal("tcp-443", Assert.Single(result.Errors).Key!.Value.Name);
    }

    [Fact]
    public void Unsupported_version_of_our_own_group_is_an_error_but_foreign_kinds_are_ignored()
    {
        var result = Load("apiVersion: policy.openservicemesh.io/v1beta9\nkind: Egress\nmetadata:\n  name: x\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: curl\n");
        Assert.Contains("is not a supported version of Egress", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.Equal("Deployment", Assert.Single(result.Ignored).Kind);
    }

    [Fact]
    public void Json_documents_and_kind_List_are_read()
    {
        var json = """
            {"apiVersion":"v1","kind":"List","items":[
              {"kind":"Egress","apiVersion":"policy.openservicemesh.io/v1alpha1","metadata":{"name":"j","namespace":"curl"},
               "spec":{"sources":[{"kind":"ServiceAccount","name":"curl","namespace":"curl"}],"ports":[{"number":22,"protocol":"tcp"}]}}]}
            """;
        var result = Load(json);
        Assert.Empty(result.Errors);
        Assert.Equal(22, Assert.Single(result.Resources.OfType<EgressPolicy>()).Ports[0].Number);
    }

    [Fact]
    public void Unreadable_yaml_is_a_syntax_error_with_its_line()
    {
        var result = Load("kind: Egress\nmetadata:\n  name: [unclosed\n");
        Assert.False(result.IsReadable);
        Assert.StartsWith("policies/egress.yaml:", result.SyntaxError!.ToString(), StringComparison.Ordinal);
        Assert.Contains("not valid YAML/JSON", result.SyntaxError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_group_regexes_that_cannot_be_compiled_are_rejected()
    {
        var result = Load("apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata:\n  name: g\n  namespace: curl\nspec:\n  matches:\n  - name: bad\n    pathRegex: \"a)(b\"\n  - name: unclosed\n    headers:\n      x: \"[a-\"\n");
        Assert.Equal(["spec.matches[0].pathRegex", "spec.matches[1].headers.x"], result.Errors.Select(e => e.FieldPath));
    }

    [Fact]
    public void A_pattern_is_compiled_once_and_shared_while_a_bad_one_is_rejected_every_time()
    {
        // Proxies rebuild every route of each snapshot they receive: the compiled regex of a pattern seen before is reused.
        const string Group = "apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata:\n  name: g\n  namespace: curl\nspec:\n  matches:\n  - name: m\n    pathRegex: \"/shared/[0-9]+\"\n    headers:\n      x: \"a|b\"\n";
        var first = Assert.Single(Assert.Single(Load(Group).Resources.OfType<HttpRouteGroup>()).Matches);
        var second = Assert.Single(Assert.Single(Load(Group).Resources.OfType<HttpRouteGroup>()).Matches);
        Assert.Same(first.CompiledPath, second.CompiledPath);
        Assert.Same(Assert.Single(first.CompiledHeaders).Value, Assert.Single(second.CompiledHeaders).Value);
        Assert.Matches(first.CompiledPath!, "/shared/42");
        Assert.DoesNotMatch(first.CompiledPath!, "/shared/42/more");

        const string Bad = "apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata:\n  name: g\n  namespace: curl\nspec:\n  matches:\n  - name: bad\n    pathRegex: \"a)(b\"\n";
        Assert.Equal("spec.matches[0].pathRegex", Assert.Single(Load(Bad).Errors).FieldPath);
        Assert.Equal("spec.matches[0].pathRegex", Assert.Single(Load(Bad).Errors).FieldPath);
    }

    [Fact]
    public void Object_without_namespace_lands_in_default_and_empty_documents_are_skipped()
    {
        var result = Load("---\n---\n" + SeedManifests.Tcp443.Replace("  namespace: curl\nspec", "spec", StringComparison.Ordinal));
        Assert.Equal("default", Assert.Single(result.Resources).Key.Namespace);
    }
}
