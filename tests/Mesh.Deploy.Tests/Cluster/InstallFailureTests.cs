using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using Mesh.Deploy.Tests.Support;
using Mesh.FakeKubeApi.Faults;
using Mesh.FakeKubeApi.Resources;
using Mesh.Tests.Shared;

namespace Mesh.Deploy.Tests.Cluster;

/// <summary>When <c>mesh install</c> cannot finish, it says what is missing and why, stops before the webhook, and exits non-zero.</summary>
public sealed class InstallFailureTests
{
    [Fact]
    public async Task Forbidden_names_the_verb_the_object_and_the_rights_needed_and_nothing_after_it_is_applied()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Faults.Deny("patch", "clusterroles");

        var run = await cluster.InstallAsync();

        Assert.Equal(1, run.Exit);
        Assert.StartsWith("mesh install: cannot patch clusterroles.rbac.authorization.k8s.io \"mesh-controller\": 403 Forbidden", run.Error, StringComparison.Ordinal);
        Assert.Contains("cluster administrator's rights", run.Error, StringComparison.Ordinal);
        Assert.Null(cluster.Get("clusterrolebindings.rbac.authorization.k8s.io", null, "mesh-controller"));
        Assert.Null(cluster.Get("deployments.apps", "mesh-system", "mesh-controller"));
        Assert.Null(cluster.Get("mutatingwebhookconfigurations.admissionregistration.k8s.io", null, "mesh-sidecar-injector"));
    }

    [Fact]
    public async Task Crds_never_established_time_out_naming_each_one_and_nothing_else_is_applied()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Store.EstablishCustomResourceDefinitions = false;
        var timeout = TestTime.Dilate(TimeSpan.FromSeconds(1));
        var started = Stopwatch.GetTimestamp();

        var run = await cluster.InstallAsync(timeout: timeout);

        Assert.Equal(1, run.Exit);
        Assert.True(Stopwatch.GetElapsedTime(started) < timeout + TestTime.Dilate(TimeSpan.FromSeconds(10)));
        Assert.Contains("the CustomResourceDefinitions were not established within ", run.Error, StringComparison.Ordinal);
        Assert.Contains("egresses.policy.openservicemesh.io (no Established condition yet)", run.Error, StringComparison.Ordinal);
        Assert.Contains("meshconfigs.config.flomesh.io (no Established condition yet)", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing else was applied", run.Error, StringComparison.Ordinal);
        Assert.Null(cluster.Get("namespaces", null, "mesh-system"));
    }

    [Fact]
    public async Task A_crd_whose_names_conflict_fails_at_once_with_the_servers_reason()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Store.EstablishCustomResourceDefinitions = false;
        var install = cluster.InstallAsync(timeout: TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(() => cluster.Get("customresourcedefinitions.apiextensions.k8s.io", null, "httproutegroups.specs.smi-spec.io") is not null,
            TimeSpan.FromSeconds(20));
        cluster.Api.Store.Patch(BuiltInTypes.CustomResourceDefinitions, null, "httproutegroups.specs.smi-spec.io", crd =>
        {
            crd["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "NamesAccepted", ["status"] = "False", ["reason"] = "ListKindConflict", ["message"] = "\"HTTPRouteGroupList\" is already in use",
                }),
            };
            return crd;
        }, statusOnly: true);

        var run = await install.WaitAsync(TestTime.Dilate(TimeSpan.FromSeconds(20)));

        Assert.Equal(1, run.Exit);
        Assert.Contains("customresourcedefinition/httproutegroups.specs.smi-spec.io is not served: its names are not accepted: ListKindConflict: " +
            "\"HTTPRouteGroupList\" is already in use", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controllers_never_ready_time_out_saying_what_is_missing_and_why_and_the_webhook_is_not_applied()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var install = cluster.InstallAsync(timeout: TestTime.Dilate(TimeSpan.FromSeconds(5)));
        await Eventually.TrueAsync(() => cluster.Get("deployments.apps", "mesh-system", "mesh-controller") is not null, TimeSpan.FromSeconds(20));
        // What the cluster would show: one replica unschedulable, one unable to pull its image.
        AddPod(cluster, "mesh-controller-7d9f-a", status: new JsonObject
        {
            ["phase"] = "Pending",
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable",
                ["message"] = "0/1 nodes are available: 1 Insufficient memory.",
            }),
        });
        AddPod(cluster, "mesh-controller-7d9f-b", status: new JsonObject
        {
            ["phase"] = "Pending",
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "controller", ["ready"] = false, ["restartCount"] = 0, ["image"] = "mesh:0.1.0", ["imageID"] = "",
                ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff", ["message"] = "Back-off pulling image \"mesh:0.1.0\"" } },
            }),
        });

        var run = await install;

        Assert.Equal(1, run.Exit);
        Assert.Contains("mesh install: the controllers are not ready: deployment.apps/mesh-controller (mesh-system): it was not ready within ", run.Error, StringComparison.Ordinal);
        Assert.Contains("waiting for the deployment controller to see the new spec", run.Error, StringComparison.Ordinal);
        Assert.Contains("Pod mesh-controller-7d9f-a: not scheduled: Unschedulable: 0/1 nodes are available: 1 Insufficient memory.", run.Error, StringComparison.Ordinal);
        Assert.Contains("Pod mesh-controller-7d9f-b: container controller waiting: ImagePullBackOff: Back-off pulling image \"mesh:0.1.0\"", run.Error, StringComparison.Ordinal);
        Assert.Contains("The MutatingWebhookConfiguration was not applied", run.Error, StringComparison.Ordinal);
        Assert.Null(cluster.Get("mutatingwebhookconfigurations.admissionregistration.k8s.io", null, "mesh-sidecar-injector"));
    }

    [Fact]
    public async Task A_rollout_short_of_replicas_times_out_with_the_count()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var install = cluster.InstallAsync(timeout: TestTime.Dilate(TimeSpan.FromSeconds(4)));
        await Eventually.TrueAsync(() => cluster.Get("deployments.apps", "mesh-system", "mesh-controller") is not null, TimeSpan.FromSeconds(20));
        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("mesh-controller", "mesh-system");
        deployment.Spec.Replicas = 1; // only what MarkReady writes: one of the three replicas ready
        await FakeCluster.MarkReadyAsync(cluster.Client, deployment);

        var run = await install;

        Assert.Equal(1, run.Exit);
        Assert.Contains("it was not ready within", run.Error, StringComparison.Ordinal);
        Assert.Contains(": 1 of 3 replicas updated, 1 ready.", run.Error, StringComparison.Ordinal);
        Assert.Contains("No controller pod exists", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried()
    {
        await using var cluster = await FakeCluster.StartAsync();
        cluster.Api.Faults.FailNext(2, 503, new FaultMatch(Verb: "patch", Resource: "secrets"));
        cluster.Api.Faults.FailNext(1, 429, new FaultMatch(Verb: "get", Resource: "services"), retryAfter: TimeSpan.FromSeconds(1));

        var run = await cluster.InstallReadyAsync();

        Assert.Contains("secret/mesh-injector-tls (mesh-system) created", run.Output, StringComparison.Ordinal);
        Assert.Equal([503, 503, 200], cluster.Api.Requests.Where("patch", "secrets").Select(r => r.Status));
    }

    [Fact]
    public async Task An_unreachable_server_and_a_missing_kubeconfig_say_so()
    {
        using var dir = new TempDirectory();
        var port = FreePorts.Tcp(); // nothing listens there now
        var kubeconfig = dir.Write("kubeconfig", $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: http://127.0.0.1:{port}
            users:
            - name: u
              user:
                token: t
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            current-context: x
            """);
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await Commands.InstallRunner.RunAsync(new Commands.InstallArguments([], null, null), new Commands.ClusterArguments(kubeconfig, null),
            output, error, new Deploy.Cluster.LineProgress(error), CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.True(error.ToString().Contains($"the API server at http://127.0.0.1:{port} (context x) cannot be reached: Connection refused", StringComparison.Ordinal), error.ToString());

        var missing = Path.Combine(dir.Path, "nope");
        error = new StringWriter();
        exit = await Commands.InstallRunner.RunAsync(new Commands.InstallArguments([], null, null), new Commands.ClusterArguments(missing, null),
            output, error, new Deploy.Cluster.LineProgress(error), CancellationToken.None);
        Assert.Equal(2, exit);
        Assert.Equal($"mesh install: kubeconfig {missing} does not exist\n", error.ToString().ReplaceLineEndings("\n"));
    }

    private static void AddPod(FakeCluster cluster, string name, JsonObject status)
    {
        var type = cluster.Api.Types.ByGroupResource("pods")!;
        cluster.Api.Store.Create(type, "mesh-system", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject { ["app.kubernetes.io/instance"] = "mesh", ["app.kubernetes.io/name"] = "mesh-controller" },
            },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "controller", ["image"] = "mesh:0.1.0" }) },
        });
        cluster.Api.Store.Patch(type, "mesh-system", name, pod =>
        {
            pod["status"] = status;
            return pod;
        }, statusOnly: true);
    }
}
