using k8s;
using k8s.Models;
using Mesh.Deploy.Commands;
using Mesh.Deploy.Injection;
using Mesh.Deploy.Tests.Support;

namespace Mesh.Deploy.Tests;

/// <summary>What injection puts in a pod, when it leaves one alone, and when it refuses.</summary>
public sealed class InjectionTests
{
    private const string Pod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: app
        spec:
          containers:
          - name: app
            image: app:1
        """;

    [Fact]
    public void The_init_step_runs_first_as_root_with_net_admin_and_the_proxy_next_as_uid_1500_with_its_identity_from_the_pod()
    {
        var pod = KubernetesYaml.Deserialize<V1Pod>(Inject.Run(Pod).Yaml);
        Assert.Equal(["mesh-init", "mesh-proxy"], pod.Spec.InitContainers.Select(c => c.Name));
        Assert.Equal(["app"], pod.Spec.Containers.Select(c => c.Name));
        var init = pod.Spec.InitContainers[0];
        Assert.Equal(0, init.SecurityContext.RunAsUser);
        Assert.Equal(["NET_ADMIN", "NET_RAW"], init.SecurityContext.Capabilities.Add);
        Assert.Equal(["ALL"], init.SecurityContext.Capabilities.Drop);
        var proxy = pod.Spec.InitContainers[1];
        Assert.Equal("Always", proxy.RestartPolicy); // a native sidecar
        Assert.Equal((1500L, true), (proxy.SecurityContext.RunAsUser!.Value, proxy.SecurityContext.RunAsNonRoot!.Value));
        var identity = proxy.Args[proxy.Args.IndexOf("--identity") + 1];
        Assert.Equal("$(MESH_POD_NAMESPACE)/$(MESH_SERVICE_ACCOUNT)", identity);
        Assert.Equal("metadata.namespace", proxy.Env.Single(e => e.Name == "MESH_POD_NAMESPACE").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("spec.serviceAccountName", proxy.Env.Single(e => e.Name == "MESH_SERVICE_ACCOUNT").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("mesh-controller.mesh-system.svc:4053", proxy.Args[proxy.Args.IndexOf("--controllers") + 1]);
        Assert.Equal("/ready", proxy.StartupProbe.HttpGet.Path);
        Assert.Equal("/ready", proxy.ReadinessProbe.HttpGet.Path);
        Assert.NotNull(proxy.Resources.Requests["cpu"]);
    }

    [Fact]
    public void In_container_mode_the_proxy_is_appended_to_the_containers()
    {
        var pod = KubernetesYaml.Deserialize<V1Pod>(Inject.Run(Pod, "proxy.sidecarMode=container").Yaml);
        Assert.Equal(["mesh-init"], pod.Spec.InitContainers.Select(c => c.Name));
        Assert.Equal(["app", "mesh-proxy"], pod.Spec.Containers.Select(c => c.Name));
        Assert.Null(pod.Spec.Containers[1].RestartPolicy);
    }

    [Fact]
    public void Mesh_config_and_pod_annotation_exclusions_add_up_in_the_init_step()
    {
        var annotated = Pod.Replace("  name: app\n", """
              name: app
              annotations:
                openservicemesh.io/outbound-port-exclusion-list: "6379, 5432"
                openservicemesh.io/outbound-ip-range-exclusion-list: 192.168.0.0/16,fd00::/8
                flomesh.io/outbound-ip-range-inclusion-list: 0.0.0.0/0

            """, StringComparison.Ordinal);
        var pod = KubernetesYaml.Deserialize<V1Pod>(Inject.Run(annotated, "mesh.outboundPortExclusionList={5432,3306}", "mesh.outboundIPRangeExclusionList={10.0.0.0/8}").Yaml);
        var env = pod.Spec.InitContainers[0].Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("10.0.0.0/8 192.168.0.0/16 fd00::/8", env["MESH_EXCLUDE_CIDRS"]);
        Assert.Equal("3306 5432 6379", env["MESH_EXCLUDE_PORTS"]);
        Assert.Equal("0.0.0.0/0", env["MESH_INCLUDE_CIDRS"]);
        Assert.Equal(("15001", "1500"), (env["MESH_OUTBOUND_PORT"], env["MESH_PROXY_UID"]));
    }

    [Theory]
    [InlineData("openservicemesh.io/sidecar-injection", "disabled")]
    [InlineData("flomesh.io/sidecar-injection", "false")]
    public void A_pod_that_opts_out_is_left_exactly_as_it_was(string annotation, string value)
    {
        var optedOut = Pod.Replace("  name: app\n", $"  name: app\n  annotations:\n    {annotation}: \"{value}\"\n", StringComparison.Ordinal);
        var result = Inject.Run(optedOut);
        Assert.Equal(InjectionVerdict.OptedOut, Assert.Single(result.Reports).Verdict);
        Assert.Null(KubernetesYaml.Deserialize<V1Pod>(result.Yaml).Spec.InitContainers);
        Assert.Equal(Inject.Run(optedOut).Yaml, result.Yaml);
    }

    [Fact]
    public void A_host_network_pod_is_skipped_because_its_rules_would_land_on_the_node()
    {
        var result = Inject.Run(Pod.Replace("spec:\n", "spec:\n  hostNetwork: true\n", StringComparison.Ordinal));
        var report = Assert.Single(result.Reports);
        Assert.Equal(InjectionVerdict.Skipped, report.Verdict);
        Assert.Contains("host network", report.Reason, StringComparison.Ordinal);
        Assert.Null(KubernetesYaml.Deserialize<V1Pod>(result.Yaml).Spec.InitContainers);
    }

    [Theory]
    [InlineData("  annotations:\n    openservicemesh.io/sidecar-injection: maybe\n", "annotation openservicemesh.io/sidecar-injection: 'maybe' is not enabled or disabled")]
    [InlineData("  annotations:\n    openservicemesh.io/outbound-port-exclusion-list: \"80,http\"\n", "annotation openservicemesh.io/outbound-port-exclusion-list: 'http' is not a port number")]
    [InlineData("  annotations:\n    openservicemesh.io/outbound-ip-range-exclusion-list: 10.0.0.0/40\n", "annotation openservicemesh.io/outbound-ip-range-exclusion-list: '10.0.0.0/40' has an invalid prefix")]
    public void An_unreadable_annotation_fails_naming_the_object_and_the_annotation(string annotations, string message)
    {
        var e = Assert.Throws<InjectionException>(() => Inject.Run(Pod.Replace("  name: app\n", "  name: app\n" + annotations, StringComparison.Ordinal)));
        Assert.Contains("test.yaml:1: Pod/app: " + message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_half_injected_pod_is_refused_rather_than_completed()
    {
        var half = Pod.Replace("spec:\n", "spec:\n  initContainers:\n  - name: mesh-init\n    image: x\n", StringComparison.Ordinal);
        var e = Assert.Throws<InjectionException>(() => Inject.Run(half));
        Assert.Contains("it has mesh-init but not mesh-proxy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_the_models_do_not_know_is_an_error_not_a_silent_loss()
    {
        var e = Assert.Throws<InjectionException>(() => Inject.Run(Pod.Replace("spec:\n", "spec:\n  futureField: 1\n", StringComparison.Ordinal)));
        Assert.Contains("Pod/app", e.Message, StringComparison.Ordinal);
        Assert.Contains("futureField", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_reads_stdin_and_a_mesh_config_file_and_reports_each_object_on_stderr()
    {
        using var dir = new TempDirectory();
        var meshConfig = dir.Write("mesh-config.yaml", """
            apiVersion: config.openservicemesh.io/v1alpha2
            kind: MeshConfig
            metadata: {name: mesh-config, namespace: mesh-system}
            spec:
              traffic:
                outboundIPRangeExclusionList: [172.16.0.0/12]
                outboundPortExclusionList: [8125]
            """);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = InjectRunner.Run(new InstallArguments([], null, null), "-", meshConfig, new StringReader(Pod + "\n---\n" + Mesh.Tests.Shared.SeedManifests.Tcp443), stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        var env = KubernetesYaml.Deserialize<V1Pod>(stdout.ToString().Split("---\n")[0]).Spec.InitContainers[0].Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("172.16.0.0/12", env["MESH_EXCLUDE_CIDRS"]);
        Assert.Equal("8125", env["MESH_EXCLUDE_PORTS"]);
        Assert.Equal("mesh inject: pod/app: injected\nmesh inject: egress/tcp-443: not a workload, unchanged\n", stderr.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));

        var bad = dir.Write("bad.yaml", "apiVersion: config.openservicemesh.io/v1alpha2\nkind: MeshConfig\nmetadata: {name: m}\nspec: {traffic: {outboundPortExclusionList: [99999]}}\n");
        stderr = new StringWriter();
        Assert.Equal(InjectRunner.UsageError, InjectRunner.Run(new InstallArguments([], null, null), "-", bad, new StringReader(Pod), TextWriter.Null, stderr));
        Assert.Contains("outboundPortExclusionList", stderr.ToString(), StringComparison.Ordinal);
    }
}
