using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mesh.Cli.Configuration;
using Mesh.Cli.Hosting;
using Mesh.Control;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Tls;
using Mesh.Deploy.Values;
using Mesh.Deploy.Webhook;
using Mesh.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Xunit.Abstractions;

namespace Mesh.Cli.Tests.Hosting;

/// <summary>
/// The injection webhook as a controller serves it: over HTTPS with the installation's certificate, injecting what the
/// install values say with the interception exclusions of the MeshConfig the control plane holds now, so patching the
/// MeshConfig changes what the next pod gets.
/// </summary>
public sealed class ControllerWebhookTests(ITestOutputHelper output) : MeshTestKit(output), IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private InjectionWebhookHost? _webhook;
    private ControlPlane? _control;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_webhook is not null) await _webhook.DisposeAsync();
        if (_control is not null) await _control.StopAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Pods_get_the_exclusions_of_the_live_mesh_config()
    {
        var tls = WebhookCertificates.Create("mesh-injector", ["localhost"], DateTimeOffset.UtcNow);
        var url = await StartAsync(excludedPort: 3306, tls);
        using var client = Trusting(tls.LoadCaCertificate());

        await AwaitConditionAsync(async () => ExcludedPorts(await PatchAsync(client, url)) == "3306", TimeSpan.FromSeconds(10));

        _dir.Write("manifests/mesh-config.yaml", MeshConfigExcludingPort(5432));
        await AwaitConditionAsync(async () => ExcludedPorts(await PatchAsync(client, url)) == "5432", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_new_serving_certificate_in_the_mounted_files_is_served_without_a_restart()
    {
        var first = WebhookCertificates.Create("mesh-injector", ["localhost"], DateTimeOffset.UtcNow);
        var url = await StartAsync(excludedPort: 3306, first);
        using (var trustsFirst = Trusting(first.LoadCaCertificate()))
        {
            await AwaitConditionAsync(async () => ExcludedPorts(await PatchAsync(trustsFirst, url)) == "3306", TimeSpan.FromSeconds(10));
        }

        // A re-install: a new CA and serving pair; the kubelet swaps the Secret's files under the running controller.
        var second = WebhookCertificates.Create("mesh-injector", ["localhost"], DateTimeOffset.UtcNow);
        File.WriteAllText(_dir.File("tls.crt"), second.CertificatePem);
        File.WriteAllText(_dir.File("tls.key"), second.PrivateKeyPem);

        // The API server, given the new caBundle, trusts only the new CA; a new client per try means a new handshake.
        await AwaitConditionAsync(async () =>
        {
            using var trustsSecond = Trusting(second.LoadCaCertificate());
            try
            {
                return ExcludedPorts(await PatchAsync(trustsSecond, url)) == "3306";
            }
            catch (HttpRequestException)
            {
                return false; // still the old pair
            }
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250));
    }

    /// <summary>A control plane on a manifest directory and the webhook a controller serves with it; the webhook's URL.</summary>
    private async Task<Uri> StartAsync(int excludedPort, WebhookTlsMaterial tls)
    {
        _dir.Write("manifests/mesh-config.yaml", MeshConfigExcludingPort(excludedPort));
        File.WriteAllText(_dir.File("tls.crt"), tls.CertificatePem);
        File.WriteAllText(_dir.File("tls.key"), tls.PrivateKeyPem);
        File.WriteAllText(_dir.File("values"), ValuesFile.Write(ValuesParser.Parse([])));
        var port = FreePorts.Tcp();
        _control = await ControlPlane.StartAsync(Sys, new ControlPlaneOptions { ManifestDirectory = _dir.File("manifests") },
            new ControlPlaneMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())), NullLoggerFactory.Instance);
        _webhook = await InjectionWebhookHost.StartAsync(
            new WebhookSettings(new IPEndPoint(IPAddress.Loopback, port), _dir.File("tls.crt"), _dir.File("tls.key"), _dir.File("values")),
            _control, NullLoggerFactory.Instance, CancellationToken.None);
        return new Uri($"https://localhost:{port}{InjectionWebhook.Path}");
    }

    private static string MeshConfigExcludingPort(int port) => $"""
        apiVersion: config.openservicemesh.io/v1alpha2
        kind: MeshConfig
        metadata: {"{"}name: mesh-config, namespace: mesh-system{"}"}
        spec:
          traffic:
            outboundPortExclusionList: [{port}]
        """;

    /// <summary>The MESH_EXCLUDE_PORTS value the patch gives the init container.</summary>
    private static string? ExcludedPorts(string patch)
    {
        var at = patch.IndexOf("\"MESH_EXCLUDE_PORTS\"", StringComparison.Ordinal);
        if (at < 0) return null;
        var value = patch.IndexOf("\"value\":\"", at, StringComparison.Ordinal) + "\"value\":\"".Length;
        return patch[value..patch.IndexOf('"', value)];
    }

    private static async Task<string> PatchAsync(HttpClient client, Uri url)
    {
        using var response = await client.PostAsync(url, new StringContent(Review, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var review = await response.Content.ReadFromJsonAsync<AdmissionReview>();
        return Encoding.UTF8.GetString(Convert.FromBase64String(review!.Response!.Patch!));
    }

    private static HttpClient Trusting(X509Certificate2 ca)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(ca);
        return new HttpClient(new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } });
    }

    private const string Review = """
        {
          "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
          "request": {
            "uid": "uid-1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
            "resource": {"group": "", "version": "v1", "resource": "pods"},
            "namespace": "curl", "operation": "CREATE",
            "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "curl", "namespace": "curl"},
                       "spec": {"serviceAccountName": "curl", "containers": [{"name": "curl", "image": "curlimages/curl"}]}}
          }
        }
        """;
}
