using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Tests.Support;
using Mesh.Deploy.Values;
using Mesh.Kubernetes.Catalog;
using Mesh.Policy.Loading;
using Mesh.Policy.Model;
using PolicyMeshConfig = Mesh.Policy.Model.MeshConfig;

namespace Mesh.Deploy.Tests;

/// <summary>What <c>mesh install --dry-run</c> renders, loaded back as typed Kubernetes objects and checked for what matters.</summary>
public sealed class InstallManifestTests
{
    private static readonly List<object> Objects = Install.Objects();

    [Fact]
    public void Every_document_loads_as_a_typed_kubernetes_object()
    {
        Assert.Equal(
            [
                "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition", "CustomResourceDefinition",
                "CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                "RoleBinding", "Secret", "MeshConfig", "ConfigMap", "Service", "Service", "Deployment", "PodDisruptionBudget",
                "MutatingWebhookConfiguration",
            ],
            Objects.Select(o => ((k8s.IKubernetesObject)o).Kind));
        Assert.IsType<MeshConfigResource>(Objects[12]);
        Assert.All(Objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>(), o => Assert.False(string.IsNullOrEmpty(o.Metadata.Name)));
    }

    [Fact]
    public void The_controllers_are_three_non_root_replicas_spread_over_nodes_ready_on_ready_with_a_disruption_budget()
    {
        var deployment = Install.Single<V1Deployment>(Objects);
        var pod = deployment.Spec.Template.Spec;
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
        var spread = Assert.Single(pod.TopologySpreadConstraints, t => t.TopologyKey == "kubernetes.io/hostname");
        Assert.Equal(("DoNotSchedule", 1, "Honor"), (spread.WhenUnsatisfiable, spread.MaxSkew, spread.NodeTaintsPolicy));
        Assert.Equal(deployment.Spec.Selector.MatchLabels, spread.LabelSelector.MatchLabels);
        Assert.Equal("kubernetes.io/hostname", pod.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution.Single().PodAffinityTerm.TopologyKey);
        var container = Assert.Single(pod.Containers);
        Assert.Equal("/ready", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("admin", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Contains(container.Ports, p => p.Name == "admin" && p.ContainerPort == 15000);
        Assert.Equal((false, true), (container.SecurityContext.AllowPrivilegeEscalation, container.SecurityContext.ReadOnlyRootFilesystem));
        Assert.Equal("mesh:0.1.0", container.Image);

        var budget = Install.Single<V1PodDisruptionBudget>(Objects);
        Assert.Equal(1, budget.Spec.MaxUnavailable.Value is string s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : -1);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, deployment.Spec.Template.Metadata.Labels.Where(l => deployment.Spec.Selector.MatchLabels.ContainsKey(l.Key)).ToDictionary());
    }

    [Fact]
    public void The_headless_service_lists_unready_controllers_so_seeds_resolve_before_the_cluster_forms()
    {
        var headless = Objects.OfType<V1Service>().Single(s => s.Spec.ClusterIP == "None");
        var deployment = Install.Single<V1Deployment>(Objects);
        Assert.True(headless.Spec.PublishNotReadyAddresses);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, headless.Spec.Selector);
        Assert.Equal(4053, headless.Spec.Ports.Single().Port);
        Assert.Contains("--seed-nodes", deployment.Spec.Template.Spec.Containers[0].Args);
        Assert.Contains("mesh-controller.mesh-system.svc:4053", deployment.Spec.Template.Spec.Containers[0].Args);
    }

    [Fact]
    public void Rbac_grants_exactly_the_verbs_the_watchers_and_status_writer_use_and_nothing_else()
    {
        var cluster = Install.Single<V1ClusterRole>(Objects);
        var role = Install.Single<V1Role>(Objects);
        var granted = cluster.Rules.Select(r => (Namespaced: false, Rule: r)).Concat(role.Rules.Select(r => (Namespaced: true, Rule: r)))
            .SelectMany(x => x.Rule.ApiGroups.SelectMany(g => x.Rule.Resources.SelectMany(res => x.Rule.Verbs.Select(v => $"{(x.Namespaced ? "ns" : "cluster")} {g}/{res} {v}"))))
            .Order(StringComparer.Ordinal).ToList();
        string[] expected =
        [
            "cluster /namespaces list", "cluster /namespaces watch",
            "cluster policy.flomesh.io/egresses list", "cluster policy.flomesh.io/egresses watch",
            "cluster policy.flomesh.io/egresses/status get", "cluster policy.flomesh.io/egresses/status patch",
            "cluster policy.openservicemesh.io/egresses list", "cluster policy.openservicemesh.io/egresses watch",
            "cluster policy.openservicemesh.io/egresses/status get", "cluster policy.openservicemesh.io/egresses/status patch",
            "cluster specs.smi-spec.io/httproutegroups list", "cluster specs.smi-spec.io/httproutegroups watch",
            // The MeshConfig watches are narrowed to its name, so a Role in its namespace is all they need.
            "ns config.flomesh.io/meshconfigs list", "ns config.flomesh.io/meshconfigs watch",
            "ns config.openservicemesh.io/meshconfigs list", "ns config.openservicemesh.io/meshconfigs watch",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), granted);
        Assert.Equal("mesh-system", role.Metadata.NamespaceProperty);

        // Bound to the controllers' own ServiceAccount, the one their pods run as.
        var account = Install.Single<V1Deployment>(Objects).Spec.Template.Spec.ServiceAccountName;
        Assert.Equal(account, Install.Single<V1ClusterRoleBinding>(Objects).Subjects.Single().Name);
        Assert.Equal(account, Install.Single<V1RoleBinding>(Objects).Subjects.Single().Name);
        Assert.Equal(cluster.Metadata.Name, Install.Single<V1ClusterRoleBinding>(Objects).RoleRef.Name);
    }

    [Theory]
    [InlineData("mesh", "mesh-system")]
    [InlineData("osm", "osm-system")]
    public void Rbac_covers_every_permission_of_the_kubernetes_catalog_in_its_scope(string mesh, string ns)
    {
        var objects = Install.Objects($"mesh.name={mesh}", $"mesh.namespace={ns}");
        var deployment = Install.Single<V1Deployment>(objects);
        var meshConfig = Install.Single<MeshConfigResource>(objects);
        // The catalog as the controller builds it from its own arguments and pod namespace.
        var catalog = new MeshResourceCatalog(mesh, new ResourceKey(ResourceKind.MeshConfig, meshConfig.Metadata.NamespaceProperty, meshConfig.Metadata.Name));
        Assert.Contains($"{meshConfig.Metadata.NamespaceProperty}/{meshConfig.Metadata.Name}", deployment.Spec.Template.Spec.Containers[0].Args);
        var cluster = Install.Single<V1ClusterRole>(objects);
        var role = Install.Single<V1Role>(objects);
        Assert.Equal(ns, role.Metadata.NamespaceProperty);
        Assert.DoesNotContain(cluster.Rules.Concat(role.Rules), r => r.Resources.Contains("pods")); // seeds come from DNS
        foreach (var permission in catalog.Permissions)
        {
            var rules = permission.Namespace is null ? cluster.Rules : role.Rules;
            Assert.True(permission.Namespace is null || permission.Namespace == role.Metadata.NamespaceProperty, $"no Role for {permission}");
            foreach (var verb in permission.Verbs)
            {
                Assert.True(rules.Any(r => r.ApiGroups.Contains(permission.Group) && r.Resources.Contains(permission.Resource) && r.Verbs.Contains(verb)),
                    $"not granted: {verb} on {permission}");
            }
        }
    }

    [Fact]
    public void Every_watched_custom_resource_is_defined_by_a_rendered_crd_serving_its_versions()
    {
        var crds = Objects.OfType<V1CustomResourceDefinition>().ToDictionary(c => $"{c.Spec.Group}/{c.Spec.Names.Plural}");
        var catalog = new MeshResourceCatalog("mesh", new ResourceKey(ResourceKind.MeshConfig, "mesh-system", "mesh-config"));
        foreach (var watched in catalog.All.Where(w => w.Resource.Group.Length > 0))
        {
            var crd = Assert.Contains($"{watched.Resource.Group}/{watched.Resource.Plural}", crds);
            Assert.Equal(watched.Resource.Kind, crd.Spec.Names.Kind);
            Assert.Contains(watched.Resource.Versions, v => crd.Spec.Versions.Any(s => s.Name == v && s.Served));
        }
        foreach (var permission in catalog.Permissions.Where(p => p.Resource.EndsWith("/status", StringComparison.Ordinal)))
        {
            var crd = crds[$"{permission.Group}/{permission.Resource.Split('/')[0]}"];
            Assert.All(crd.Spec.Versions, v => Assert.NotNull(v.Subresources?.Status));
        }
    }

    [Fact]
    public void The_default_mesh_config_is_what_the_controller_reads_and_carries_the_values()
    {
        var yaml = Install.Yaml("mesh.enableEgress=true", "mesh.outboundIPRangeExclusionList={10.0.0.0/8}", "mesh.outboundPortExclusionList={5432}");
        var document = ManifestYaml.Write([Install.Single<MeshConfigResource>(Install.Load(yaml))]);
        var loaded = ManifestLoader.LoadText(document, "rendered");
        Assert.Empty(loaded.Errors);
        var config = Assert.Single(loaded.Resources.OfType<PolicyMeshConfig>());
        Assert.Equal(("mesh-system", "mesh-config"), (config.Key.Namespace, config.Key.Name));
        Assert.True(config.EnableEgress);
        Assert.True(config.EnableEgressPolicy);
        Assert.Equal(["10.0.0.0/8"], config.OutboundIPRangeExclusions.Select(c => c.ToString()));
        Assert.Equal([5432], config.OutboundPortExclusions);
        Assert.Contains("mesh-system/mesh-config", Install.Single<V1Deployment>(Install.Load(yaml)).Spec.Template.Spec.Containers[0].Args);
    }

    [Fact]
    public void The_install_values_config_map_gives_the_controllers_the_same_values()
    {
        string[] sets = ["proxy.sidecarMode=container", "image.tag=9.9.9", "mesh.outboundPortExclusionList={1,2}", "proxy.resources.limits.memory="];
        var map = Install.Single<V1ConfigMap>(Install.Objects(sets));
        var read = ValuesFile.Read(map.Data[InstallValuesConfigMap.Key], "configmap");
        var expected = Install.Values(sets);
        Assert.All(ValueCatalog.Keys, key => Assert.Equal(key.Show(expected), key.Show(read)));
        var e = Assert.Throws<ValuesException>(() => ValuesFile.Read("# x\nproxy.uid=root\n", "values"));
        Assert.StartsWith("values:2: --set proxy.uid:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_webhook_selects_enrolled_namespaces_only_fails_closed_and_trusts_the_ca_that_signed_the_secret()
    {
        var webhook = Install.Single<V1MutatingWebhookConfiguration>(Objects).Webhooks.Single();
        Assert.Equal("Fail", webhook.FailurePolicy);
        Assert.Equal("None", webhook.SideEffects);
        Assert.Equal(["v1"], webhook.AdmissionReviewVersions);
        Assert.Equal("mesh", webhook.NamespaceSelector.MatchLabels["openservicemesh.io/monitored-by"]);
        var excluded = webhook.NamespaceSelector.MatchExpressions.Single();
        Assert.Equal(("kubernetes.io/metadata.name", "NotIn"), (excluded.Key, excluded.OperatorProperty));
        Assert.Contains("mesh-system", excluded.Values); // the controllers must start while the webhook is down
        var rule = webhook.Rules.Single();
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["CREATE"], rule.Operations);

        var service = Objects.OfType<V1Service>().Single(s => s.Metadata.Name == webhook.ClientConfig.Service.Name);
        Assert.Equal("webhook", service.Spec.Ports.Single().TargetPort.Value);
        var secret = Install.Single<V1Secret>(Objects);
        Assert.Equal("kubernetes.io/tls", secret.Type);
        using var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(webhook.ClientConfig.CaBundle));
        using var serving = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data["tls.crt"]), Encoding.ASCII.GetString(secret.Data["tls.key"]));
        Assert.True(serving.HasPrivateKey);
        Assert.True(serving.MatchesHostname($"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc"));
        Assert.True(serving.MatchesHostname($"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc.cluster.local"));
        Assert.False(serving.MatchesHostname("kubernetes.default.svc"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
        Assert.True(chain.Build(serving), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(Encoding.ASCII.GetString(secret.Data["ca.crt"]), Encoding.ASCII.GetString(webhook.ClientConfig.CaBundle));
    }
}
