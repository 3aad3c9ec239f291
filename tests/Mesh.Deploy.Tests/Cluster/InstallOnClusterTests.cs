using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Tests.Support;
using Mesh.Tests.Shared;

namespace Mesh.Deploy.Tests.Cluster;

/// <summary><c>mesh install</c> against the fake API server: what it applies, in which order, and that running it again writes nothing.</summary>
public sealed class InstallOnClusterTests
{
    /// <summary>Every object of a default installation, as the fake names them (group resource, namespace, name).</summary>
    private static readonly (string Resource, string? Namespace, string Name)[] Installation =
    [
        ("customresourcedefinitions.apiextensions.k8s.io", null, "egresses.policy.openservicemesh.io"),
        ("customresourcedefinitions.apiextensions.k8s.io", null, "egresses.policy.flomesh.io"),
        ("customresourcedefinitions.apiextensions.k8s.io", null, "httproutegroups.specs.smi-spec.io"),
        ("customresourcedefinitions.apiextensions.k8s.io", null, "meshconfigs.config.openservicemesh.io"),
        ("customresourcedefinitions.apiextensions.k8s.io", null, "meshconfigs.config.flomesh.io"),
        ("namespaces", null, "mesh-system"),
        ("serviceaccounts", "mesh-system", "mesh-controller"),
        ("clusterroles.rbac.authorization.k8s.io", null, "mesh-controller"),
        ("clusterrolebindings.rbac.authorization.k8s.io", null, "mesh-controller"),
        ("roles.rbac.authorization.k8s.io", "mesh-system", "mesh-controller"),
        ("rolebindings.rbac.authorization.k8s.io", "mesh-system", "mesh-controller"),
        ("secrets", "mesh-system", "mesh-injector-tls"),
        ("meshconfigs.config.openservicemesh.io", "mesh-system", "mesh-config"),
        ("configmaps", "mesh-system", "mesh-install-values"),
        ("services", "mesh-system", "mesh-controller"),
        ("services", "mesh-system", "mesh-injector"),
        ("deployments.apps", "mesh-system", "mesh-controller"),
        ("poddisruptionbudgets.policy", "mesh-system", "mesh-controller"),
        ("mutatingwebhookconfigurations.admissionregistration.k8s.io", null, "mesh-sidecar-injector"),
    ];

    [Fact]
    public async Task Install_applies_every_object_server_side_and_the_webhook_only_once_the_controllers_are_ready()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var install = cluster.InstallAsync();

        // The test plays the Deployment controller: until it says the replicas are ready, install waits, and the
        // webhook configuration (failurePolicy Fail) is not there to block pod creation.
        await Eventually.TrueAsync(() => cluster.Get("deployments.apps", "mesh-system", "mesh-controller") is not null, TimeSpan.FromSeconds(20));
        await Eventually.TrueAsync(() => cluster.Api.Requests.Where("get", "deployments").Count >= 3, TimeSpan.FromSeconds(10));
        Assert.False(install.IsCompleted);
        Assert.Null(cluster.Get("mutatingwebhookconfigurations.admissionregistration.k8s.io", null, "mesh-sidecar-injector"));
        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("mesh-controller", "mesh-system");
        await FakeCluster.MarkReadyAsync(cluster.Client, deployment);

        var run = await install;
        Assert.True(run.Exit == 0, run.ToString());
        foreach (var (resource, ns, name) in Installation)
        {
            Assert.True(cluster.Get(resource, ns, name) is not null, $"{resource} {ns}/{name} missing");
            Assert.Contains(run.Lines, l => l.Contains($"/{name}", StringComparison.Ordinal) && l.Contains(" created", StringComparison.Ordinal));
        }
        Assert.Equal(Installation.Length, run.Lines.Count(l => l.EndsWith(" created", StringComparison.Ordinal)));
        Assert.Contains("deployment.apps/mesh-controller (mesh-system) is ready: 3 of 3 replicas ready", run.Output, StringComparison.Ordinal);
        Assert.Contains("(19 created, 0 updated, 0 unchanged)", run.Output, StringComparison.Ordinal);
        Assert.Contains("mesh namespace add NAMESPACE", run.Output, StringComparison.Ordinal);
        Assert.Contains("waiting for deployment.apps/mesh-controller (mesh-system): ", run.Error, StringComparison.Ordinal);

        // Every write was a server-side apply by field manager "mesh"; CRDs first, the webhook configuration last.
        var writes = cluster.Api.Requests.Snapshot()
            .Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE" && !r.Path.EndsWith("/status", StringComparison.Ordinal)).ToList();
        Assert.All(writes, w => Assert.Equal(("PATCH", "mesh", "true"), (w.Method, w.QueryValue("fieldManager"), w.QueryValue("force"))));
        Assert.Equal(Installation.Length, writes.Count);
        Assert.Equal(Enumerable.Repeat("customresourcedefinitions", 5), writes.Take(5).Select(w => w.Resource));
        Assert.Equal("mutatingwebhookconfigurations", writes[^1].Resource);

        // The webhook trusts the CA in the Secret the controllers serve with.
        var webhook = await cluster.Client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync("mesh-sidecar-injector");
        var secret = await cluster.Client.CoreV1.ReadNamespacedSecretAsync("mesh-injector-tls", "mesh-system");
        Assert.Equal(secret.Data["ca.crt"], webhook.Webhooks.Single().ClientConfig.CaBundle);
    }

    [Fact]
    public async Task Installing_again_writes_nothing_keeps_the_webhook_ca_and_says_everything_is_unchanged()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();
        var ca = (await cluster.Client.CoreV1.ReadNamespacedSecretAsync("mesh-injector-tls", "mesh-system")).Data["ca.crt"];
        var writes = cluster.Writes;

        var again = await cluster.InstallAsync();

        Assert.True(again.Exit == 0, again.ToString());
        Assert.True(writes == cluster.Writes, again.ToString());
        Assert.Equal("", again.Error); // nothing to wait for: established CRDs, rolled-out controllers
        Assert.Equal(ca, (await cluster.Client.CoreV1.ReadNamespacedSecretAsync("mesh-injector-tls", "mesh-system")).Data["ca.crt"]);
        Assert.Equal(Installation.Length, again.Lines.Count(l => l.EndsWith(" unchanged", StringComparison.Ordinal) || l.EndsWith(" kept", StringComparison.Ordinal)));
        Assert.DoesNotContain(again.Lines, l => l.EndsWith(" created", StringComparison.Ordinal) || l.EndsWith(" updated", StringComparison.Ordinal) || l.Contains(" updated: ", StringComparison.Ordinal));
        Assert.Contains("meshconfig.config.openservicemesh.io/mesh-config (mesh-system) kept", again.Output, StringComparison.Ordinal);
        Assert.Contains("is installed and up to date (0 created, 0 updated, 19 unchanged)", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installing_with_other_values_updates_what_differs_and_leaves_the_users_mesh_config_alone_saying_how_it_differs()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();
        var meshConfigVersion = cluster.Get("meshconfigs.config.openservicemesh.io", "mesh-system", "mesh-config")!["metadata"]!["resourceVersion"]!.GetValue<string>();

        var run = await cluster.InstallReadyAsync(["controller.replicas=5", "mesh.enableEgress=true"]);

        Assert.Contains("deployment.apps/mesh-controller (mesh-system) updated", run.Output, StringComparison.Ordinal);
        Assert.Contains("configmap/mesh-install-values (mesh-system) updated", run.Output, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/mesh-controller (mesh-system) is ready: 5 of 5 replicas ready", run.Output, StringComparison.Ordinal);
        Assert.Contains("meshconfig.config.openservicemesh.io/mesh-config (mesh-system) kept: it is yours after install and differs from these values: " +
            "spec.traffic.enableEgress is false (these values: true)", run.Output, StringComparison.Ordinal);
        Assert.Contains("secret/mesh-injector-tls (mesh-system) unchanged", run.Output, StringComparison.Ordinal);
        Assert.Equal(meshConfigVersion, cluster.Get("meshconfigs.config.openservicemesh.io", "mesh-system", "mesh-config")!["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(5, (await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("mesh-controller", "mesh-system")).Spec.Replicas);
    }

    [Fact]
    public async Task A_webhook_certificate_about_to_expire_is_replaced_and_the_webhook_trusts_the_new_ca()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var names = new MeshNames(Install.Values());
        var old = Tls.WebhookCertificates.Create(names.Injector, names.InjectorDnsNames, DateTimeOffset.UtcNow - TimeSpan.FromDays(720));
        cluster.CreateNamespace("mesh-system");
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(InjectionWebhook.Secret(names, old), "mesh-system");

        var run = await cluster.InstallReadyAsync();

        Assert.Contains("secret/mesh-injector-tls (mesh-system) updated: a new CA and webhook certificate: the serving certificate expires on ", run.Output, StringComparison.Ordinal);
        var secret = await cluster.Client.CoreV1.ReadNamespacedSecretAsync("mesh-injector-tls", "mesh-system");
        Assert.NotEqual(Encoding.ASCII.GetBytes(old.CaCertificatePem), secret.Data["ca.crt"]);
        var webhook = await cluster.Client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync("mesh-sidecar-injector");
        Assert.Equal(secret.Data["ca.crt"], webhook.Webhooks.Single().ClientConfig.CaBundle);

        // The running controllers present the old pair until the kubelet swaps their mounted files: the bundle the API
        // server gets trusts the new CA (first) and the one it replaces, so pod creation goes on through the swap.
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(Encoding.ASCII.GetString(webhook.Webhooks.Single().ClientConfig.CaBundle));
        Assert.Equal(2, bundle.Count);
        Assert.True(ChainsTo(Encoding.ASCII.GetString(secret.Data["tls.crt"]), bundle[0]));
        Assert.True(ChainsTo(old.CertificatePem, bundle[1]));

        // Installing again keeps the renewed Secret, both CAs with it.
        var again = await cluster.InstallReadyAsync();
        Assert.Contains("secret/mesh-injector-tls (mesh-system) unchanged", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renewal_updates_the_webhooks_ca_bundle_before_the_secret_the_controllers_read()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();
        var names = new MeshNames(Install.Values());
        var old = Tls.WebhookCertificates.Create(names.Injector, names.InjectorDnsNames, DateTimeOffset.UtcNow - TimeSpan.FromDays(720));
        await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(InjectionWebhook.Secret(names, old), names.InjectorSecret, "mesh-system");

        var run = await cluster.InstallReadyAsync();

        var webhookLine = run.Lines.ToList().FindIndex(l => l.Contains("mesh-sidecar-injector", StringComparison.Ordinal) && l.EndsWith(" updated", StringComparison.Ordinal));
        var secretLine = run.Lines.ToList().FindIndex(l => l.Contains("secret/mesh-injector-tls (mesh-system) updated", StringComparison.Ordinal));
        Assert.True(webhookLine >= 0 && secretLine > webhookLine, run.ToString());
        Assert.Single(run.Lines, l => l.Contains("mesh-sidecar-injector", StringComparison.Ordinal)); // applied once
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(Encoding.ASCII.GetString((await cluster.Client.AdmissionregistrationV1
            .ReadMutatingWebhookConfigurationAsync("mesh-sidecar-injector")).Webhooks.Single().ClientConfig.CaBundle));
        Assert.True(ChainsTo(old.CertificatePem, bundle[1])); // what the controllers still present
    }

    private static bool ChainsTo(string certificatePem, X509Certificate2 ca)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    [Fact]
    public async Task Mesh_name_and_namespace_name_every_object_and_two_meshes_live_side_by_side()
    {
        await using var cluster = await FakeCluster.StartAsync();
        await cluster.InstallReadyAsync();
        var run = await cluster.InstallReadyAsync(meshName: "osm", ns: "osm-system");

        Assert.True(run.Output.Contains("(14 created, 0 updated, 5 unchanged)", StringComparison.Ordinal), run.ToString()); // the CRDs are shared
        Assert.NotNull(cluster.Get("deployments.apps", "osm-system", "osm-controller"));
        Assert.NotNull(cluster.Get("mutatingwebhookconfigurations.admissionregistration.k8s.io", null, "osm-sidecar-injector"));
        Assert.NotNull(cluster.Get("deployments.apps", "mesh-system", "mesh-controller"));
        Assert.Contains("mesh namespace add NAMESPACE --mesh-name osm", run.Output, StringComparison.Ordinal);
    }
}
