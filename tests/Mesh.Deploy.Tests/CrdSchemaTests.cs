using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Mesh.Deploy.Tests.Support;

namespace Mesh.Deploy.Tests;

/// <summary>The rendered CRDs accept every manifest users bring, whole, and still refuse what is malformed.</summary>
public sealed class CrdSchemaTests
{
    private static readonly List<V1CustomResourceDefinition> Crds = [.. Install.Objects().OfType<V1CustomResourceDefinition>()];
    private static readonly CrdSchemaValidator Validator = new(Crds);

    [Fact]
    public void Every_seed_manifest_passes_the_schema_of_its_crd_with_nothing_pruned()
    {
        var seeds = SeedDocuments.All().ToList();
        var ours = seeds.Where(s => s.Document["apiVersion"]?.GetValue<string>() is { } v
            && Crds.Any(c => v.StartsWith(c.Spec.Group + "/", StringComparison.Ordinal))).ToList();

        // The seeds hold Egress (http, https, tcp, server-first, with routes), HTTPRouteGroups and MeshConfigs.
        Assert.Contains(ours, s => s.Document["kind"]!.GetValue<string>() == "Egress");
        Assert.Contains(ours, s => s.Document["kind"]!.GetValue<string>() == "HTTPRouteGroup");
        Assert.Contains(ours, s => s.Document["kind"]!.GetValue<string>() == "MeshConfig");
        Assert.Contains(ours, s => s.Source.StartsWith("002_", StringComparison.Ordinal)); // the seed documents themselves
        Assert.True(ours.Count(s => s.Source.StartsWith("00", StringComparison.Ordinal) && s.Source.Contains(".txt:", StringComparison.Ordinal)) >= 12, $"the seed documents' manifests were not all found: {string.Join(", ", ours.Select(s => s.Source))}");
        var failures = ours.Select(s => (s.Source, Errors: Validator.Validate(s.Document)))
            .Where(r => r.Errors.Count > 0)
            .Select(r => $"{r.Source}: {string.Join("; ", r.Errors)}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void The_same_egress_passes_in_the_flomesh_group()
    {
        var egress = YamlJson.Documents(Mesh.Tests.Shared.SeedManifests.Httpbin80WithRoutes).Single()!;
        egress["apiVersion"] = "policy.flomesh.io/v1alpha1";
        Assert.Empty(Validator.Validate(egress));
    }

    [Fact]
    public void An_osm_mesh_config_with_fields_mesh_does_not_read_is_kept_whole()
    {
        var config = YamlJson.Documents("""
            apiVersion: config.openservicemesh.io/v1alpha3
            kind: MeshConfig
            metadata: {name: osm-mesh-config, namespace: osm-system}
            spec:
              sidecar: {enablePrivilegedInitContainer: false, logLevel: error, maxDataPlaneConnections: 0, configResyncInterval: "0s"}
              traffic:
                enableEgress: false
                enablePermissiveTrafficPolicyMode: true
                outboundIPRangeExclusionList: [10.0.0.0/8]
                outboundPortExclusionList: [5432]
                inboundPortExclusionList: []
              observability: {enableDebugServer: false, osmLogLevel: info, tracing: {enable: false}}
              certificate: {serviceCertValidityDuration: 24h, certKeyBitSize: 2048}
              featureFlags: {enableEgressPolicy: true, enableWASMStats: true, enableRetryPolicy: false}
            """).Single()!;
        Assert.Empty(Validator.Validate(config));
        config["apiVersion"] = "config.flomesh.io/v1alpha3";
        Assert.Empty(Validator.Validate(config));
    }

    [Theory]
    [InlineData("spec.ports missing", "ports", null, "required")]
    [InlineData("port 0", "ports", """[{"number": 0, "protocol": "tcp"}]""", "minimum")]
    [InlineData("port as text", "ports", """[{"number": "80", "protocol": "tcp"}]""", "type")]
    [InlineData("source without namespace", "sources", """[{"kind": "ServiceAccount", "name": "curl"}]""", "required")]
    [InlineData("a misspelt field", "host", """["httpbin.org"]""", "false schema")]
    public void A_malformed_egress_is_refused(string what, string field, string? json, string error)
    {
        var egress = YamlJson.Documents(Mesh.Tests.Shared.SeedManifests.Httpbin80).Single()!;
        var spec = egress["spec"]!.AsObject();
        if (json is null) spec.Remove(field);
        else spec[field] = JsonNode.Parse(json);
        var errors = Validator.Validate(egress);
        Assert.True(errors.Any(e => e.Contains(error, StringComparison.Ordinal)), $"{what}: {string.Join("; ", errors)}");
    }

    [Fact]
    public void Every_schema_is_structural_as_kubernetes_requires()
    {
        foreach (var crd in Crds)
        {
            foreach (var version in crd.Spec.Versions)
            {
                Structural(version.Schema.OpenAPIV3Schema, $"{crd.Metadata.Name}/{version.Name}");
            }
        }

        static void Structural(V1JSONSchemaProps schema, string path)
        {
            Assert.False(string.IsNullOrEmpty(schema.Type), $"{path}: every node needs a type");
            if (schema.Type == "object")
            {
                Assert.True(schema.Properties is not null || schema.AdditionalProperties is not null || schema.XKubernetesPreserveUnknownFields is true || path.EndsWith(".metadata", StringComparison.Ordinal),
                    $"{path}: an object lists its properties or keeps unknown fields");
            }
            foreach (var (name, child) in schema.Properties ?? new Dictionary<string, V1JSONSchemaProps>()) Structural(child, $"{path}.{name}");
            if (schema.Items is V1JSONSchemaProps items) Structural(items, path + "[]");
        }
    }

    [Fact]
    public void Egress_has_the_status_subresource_in_both_groups_and_every_crd_has_one_storage_version()
    {
        foreach (var group in new[] { "policy.openservicemesh.io", "policy.flomesh.io" })
        {
            var egress = Crds.Single(c => c.Spec.Group == group && c.Spec.Names.Kind == "Egress");
            Assert.NotNull(egress.Spec.Versions.Single().Subresources?.Status);
        }
        Assert.All(Crds, c => Assert.Single(c.Spec.Versions, v => v.Storage));
        Assert.Equal(
            ["config.flomesh.io/v1alpha3", "config.openservicemesh.io/v1alpha1", "config.openservicemesh.io/v1alpha2", "config.openservicemesh.io/v1alpha3"],
            Crds.Where(c => c.Spec.Names.Kind == "MeshConfig").SelectMany(c => c.Spec.Versions.Select(v => $"{c.Spec.Group}/{v.Name}")).Order(StringComparer.Ordinal));
        _ = KubernetesJson.Serialize(Crds); // and they serialize as JSON too (what server-side apply sends)
    }
}
