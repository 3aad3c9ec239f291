using Mesh.Deploy.Commands;
using Mesh.Deploy.Tests.Support;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Tests;

public sealed class ValuesTests
{
    [Fact]
    public void Defaults_are_a_three_replica_mesh_in_mesh_system_with_egress_off_and_policies_on()
    {
        var v = Install.Values();
        Assert.Equal(("mesh", "mesh-system", 3), (v.MeshName, v.Namespace, v.ControllerReplicas));
        Assert.False(v.EnableEgress);
        Assert.True(v.EnableEgressPolicy);
        Assert.Equal("Fail", v.WebhookFailurePolicy);
        Assert.Equal(1500, v.ProxyUid);
    }

    [Fact]
    public void Every_key_reads_back_what_was_set()
    {
        var v = Install.Values(
            "mesh.enableEgress=true", "controller.replicas=5", "image.repository=registry.example/mesh", "image.tag=1.2.3",
            "mesh.outboundIPRangeExclusionList={10.0.0.0/8, 192.168.1.7}", "mesh.outboundPortExclusionList={5432,6379}",
            "proxy.sidecarMode=container", "controller.resources.limits.cpu=2", "proxy.resources.limits.memory=");
        Assert.True(v.EnableEgress);
        Assert.Equal(5, v.ControllerReplicas);
        Assert.Equal("registry.example/mesh:1.2.3", v.Image);
        Assert.Equal(["10.0.0.0/8", "192.168.1.7/32"], v.OutboundIPRangeExclusions.Select(c => c.ToString()));
        Assert.Equal([5432, 6379], v.OutboundPortExclusions);
        Assert.Equal(SidecarMode.Container, v.ProxySidecarMode);
        Assert.Equal("2", v.ControllerResources.LimitsCpu);
        Assert.Null(v.ProxyResources.LimitsMemory);
        foreach (var key in ValueCatalog.Keys)
        {
            // Showing a value and setting it again is the identity: every key parses what it prints.
            Assert.Equal(key.Show(v), key.Show(key.Apply(v, key.Show(v))));
        }
    }

    [Fact]
    public void One_set_may_hold_several_assignments_and_lists_keep_their_commas()
    {
        var v = Install.Values("mesh.enableEgress=true,mesh.outboundPortExclusionList={1,2,3},controller.replicas=1");
        Assert.True(v.EnableEgress);
        Assert.Equal([1, 2, 3], v.OutboundPortExclusions);
        Assert.Equal(1, v.ControllerReplicas);
    }

    [Theory]
    [InlineData("fsm.enableEgress=true")]
    [InlineData("osm.enableEgress=true")]
    public void The_seed_documents_install_flags_work_as_written(string set) => Assert.True(Install.Values(set).EnableEgress);

    [Theory]
    [InlineData("controller.replica=3", "--set controller.replica: unknown key")]
    [InlineData("controller.replicas=three", "--set controller.replicas: 'three' is not a whole number")]
    [InlineData("controller.replicas=0", "--set controller.replicas: '0' is not a whole number in 1..99")]
    [InlineData("mesh.enableEgress=yes", "--set mesh.enableEgress: 'yes' is not true or false")]
    [InlineData("mesh.outboundIPRangeExclusionList={10.0.0.0/33}", "--set mesh.outboundIPRangeExclusionList: '10.0.0.0/33' has an invalid prefix")]
    [InlineData("mesh.outboundPortExclusionList={80,0}", "--set mesh.outboundPortExclusionList: '0' is not a whole number in 1..65535")]
    [InlineData("mesh.namespace=Mesh_System", "--set mesh.namespace: 'Mesh_System' is not a DNS label")]
    [InlineData("proxy.resources.requests.memory=lots", "--set proxy.resources.requests.memory: 'lots' is not a Kubernetes quantity")]
    [InlineData("webhook.failurePolicy=Maybe", "--set webhook.failurePolicy: 'Maybe' is not one of Fail, Ignore")]
    [InlineData("proxy.uid=0", "--set proxy.uid: '0' is not a whole number")]
    [InlineData("image.tag", "--set image.tag: expected KEY=VALUE")]
    [InlineData("proxy.adminPort=15001", "--set proxy.outboundPort and proxy.adminPort: the proxy cannot listen on port 15001 twice")]
    public void A_bad_set_is_an_error_naming_the_key(string set, string message)
    {
        var e = Assert.Throws<ValuesException>(() => Install.Values(set));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mesh_name_and_namespace_flags_win_over_set()
    {
        var args = new InstallArguments(["mesh.name=a", "mesh.namespace=b"], "osm", "osm-system");
        var v = ValuesParser.Parse(args.Assignments);
        Assert.Equal(("osm", "osm-system"), (v.MeshName, v.Namespace));
    }

    [Fact]
    public async Task Install_checks_its_values_before_it_reaches_for_a_cluster()
    {
        var stderr = new StringWriter();
        var exit = await InstallRunner.RunAsync(new InstallArguments(["controller.replicas=many"], null, null),
            new ClusterArguments("/nonexistent/kubeconfig", null), TextWriter.Null, stderr, new Deploy.Cluster.LineProgress(stderr), CancellationToken.None);
        Assert.Equal(InstallRunner.UsageError, exit);
        Assert.StartsWith("mesh install: --set controller.replicas", stderr.ToString(), StringComparison.Ordinal);
    }
}
