using System.Text;
using k8s.Models;
using Mesh.Deploy.Cluster;
using Mesh.Deploy.Commands;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Tests.Support;
using Mesh.Deploy.Tls;

namespace Mesh.Deploy.Tests.Cluster;

/// <summary>The pure parts of the cluster commands: rollout judgement, reuse of the webhook certificate, --timeout.</summary>
public sealed class InstallPiecesTests
{
    private static readonly MeshNames Names = new(Install.Values());

    [Theory]
    [InlineData(2, 1, 3, 3, 3, 3, false, "waiting for the deployment controller to see the new spec")]
    [InlineData(2, 2, 3, 1, 1, 1, false, "1 of 3 replicas updated, 1 ready")]
    [InlineData(2, 2, 4, 3, 3, 3, false, "1 old replicas still running, 3 of 3 ready")]
    [InlineData(2, 2, 3, 3, 2, 2, false, "2 of 3 replicas ready")]
    [InlineData(2, 2, 3, 3, 3, 3, true, "3 of 3 replicas ready")]
    public void A_rollout_is_done_when_the_current_spec_runs_on_every_replica_and_each_is_ready(
        long generation, long observed, int total, int updated, int ready, int available, bool done, string status)
    {
        var d = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Generation = generation },
            Spec = new V1DeploymentSpec { Replicas = 3 },
            Status = new V1DeploymentStatus
            {
                ObservedGeneration = observed, Replicas = total, UpdatedReplicas = updated, ReadyReplicas = ready, AvailableReplicas = available,
            },
        };
        Assert.Equal(new RolloutStatus(done, false, status), RolloutStatus.Of(d));
    }

    [Fact]
    public void A_rollout_past_its_progress_deadline_has_failed_and_a_replica_failure_is_named()
    {
        var d = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Generation = 1 },
            Spec = new V1DeploymentSpec { Replicas = 3 },
            Status = new V1DeploymentStatus
            {
                ObservedGeneration = 1,
                Conditions = [new V1DeploymentCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = "pods \"x\" is forbidden: violates PodSecurity" }],
            },
        };
        Assert.Equal("0 of 3 replicas updated, 0 ready (FailedCreate: pods \"x\" is forbidden: violates PodSecurity)", RolloutStatus.Of(d).Status);
        d.Status.Conditions.Add(new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "ReplicaSet \"x\" has timed out progressing." });
        Assert.Equal(new RolloutStatus(false, true, "rollout failed: ReplicaSet \"x\" has timed out progressing."), RolloutStatus.Of(d));
    }

    [Fact]
    public void Pods_say_why_they_are_not_ready()
    {
        var crashing = Pod("a", new V1ContainerStatus
        {
            Name = "controller",
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = "back-off 40s" } },
            LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 78, Reason = "Error" } },
        });
        var unready = Pod("b", new V1ContainerStatus { Name = "controller", Ready = false, State = new V1ContainerState { Running = new V1ContainerStateRunning() } });
        var ready = Pod("c", new V1ContainerStatus { Name = "controller", Ready = true, State = new V1ContainerState { Running = new V1ContainerStateRunning() } });
        ready.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }];

        Assert.Equal(
            [
                "Pod a: container controller waiting: CrashLoopBackOff: back-off 40s (last exit code 78, Error)",
                "Pod b: container controller running, not ready (its readiness probe fails: kubectl -n mesh-system logs b)",
            ],
            PodDiagnosis.Describe([ready, unready, crashing]));
    }

    [Fact]
    public void The_webhook_certificate_of_an_earlier_install_is_reused_while_it_is_good()
    {
        var now = DateTimeOffset.UtcNow;
        var tls = WebhookCertificates.Create(Names.Injector, Names.InjectorDnsNames, now - TimeSpan.FromDays(100));
        var kept = ExistingWebhookTls.Reuse(InjectionWebhook.Secret(Names, tls), Names.InjectorDnsNames, now, out var reason);
        Assert.Equal(tls, kept);
        Assert.Equal("", reason);
    }

    [Fact]
    public void A_webhook_certificate_that_cannot_serve_is_replaced_with_the_reason()
    {
        var now = DateTimeOffset.UtcNow;
        var good = WebhookCertificates.Create(Names.Injector, Names.InjectorDnsNames, now);
        var other = WebhookCertificates.Create(Names.Injector, Names.InjectorDnsNames, now);
        var otherNames = WebhookCertificates.Create("x", ["x", "x.other.svc"], now);

        Assert.Null(ExistingWebhookTls.Reuse(null, Names.InjectorDnsNames, now, out var reason));
        Assert.Equal("no webhook Secret yet", reason);

        Assert.Null(ExistingWebhookTls.Reuse(InjectionWebhook.Secret(Names, good with { CaCertificatePem = other.CaCertificatePem }), Names.InjectorDnsNames, now, out reason));
        Assert.StartsWith("the serving certificate does not chain to the CA", reason, StringComparison.Ordinal);

        Assert.Null(ExistingWebhookTls.Reuse(InjectionWebhook.Secret(Names, otherNames), Names.InjectorDnsNames, now, out reason));
        Assert.Equal("the serving certificate does not name mesh-injector, mesh-injector.mesh-system, mesh-injector.mesh-system.svc, " +
            "mesh-injector.mesh-system.svc.cluster.local", reason);

        Assert.Null(ExistingWebhookTls.Reuse(InjectionWebhook.Secret(Names, good with { PrivateKeyPem = other.PrivateKeyPem }), Names.InjectorDnsNames, now, out reason));
        Assert.StartsWith("the Secret's certificate or key cannot be read", reason, StringComparison.Ordinal);

        var secret = InjectionWebhook.Secret(Names, good);
        secret.Data.Remove("tls.key");
        Assert.Null(ExistingWebhookTls.Reuse(secret, Names.InjectorDnsNames, now, out reason));
        Assert.Equal("the Secret lacks tls.key", reason);

        secret.Data["tls.key"] = Encoding.ASCII.GetBytes("not a key");
        Assert.Null(ExistingWebhookTls.Reuse(secret, Names.InjectorDnsNames, now, out reason));
        Assert.StartsWith("the Secret's certificate or key cannot be read", reason, StringComparison.Ordinal);

        Assert.Null(ExistingWebhookTls.Reuse(InjectionWebhook.Secret(Names, good), Names.InjectorDnsNames, now + TimeSpan.FromDays(710), out reason));
        Assert.StartsWith("the serving certificate expires on ", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1m30s", 90)]
    [InlineData("2h", 7200)]
    public void Timeouts_read_as_kubectl_writes_them(string text, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ClusterArguments.ParseTimeout(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("5 minutes", "--timeout 5 minutes: not a duration (examples: 90s, 5m, 1m30s)")]
    [InlineData("0s", "--timeout 0s: must be longer than zero")]
    [InlineData("", "--timeout : not a duration (examples: 90s, 5m, 1m30s)")]
    public void Unreadable_timeouts_are_refused(string text, string message)
    {
        Assert.Null(ClusterArguments.ParseTimeout(text, out var error));
        Assert.Equal(message, error);
    }

    private static V1Pod Pod(string name, V1ContainerStatus container) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "mesh-system" },
        Status = new V1PodStatus { Phase = "Running", ContainerStatuses = [container] },
    };
}
