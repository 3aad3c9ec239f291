using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Mesh.Deploy.Manifests;
using Mesh.Deploy.Tests.Support;
using Mesh.Deploy.Tls;
using Mesh.Deploy.Values;
using Mesh.Deploy.Webhook;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Deploy.Tests;

/// <summary>
/// The webhook over real HTTPS: a client that trusts only the CA made for the installation, and checks that the
/// certificate names the Service the API server dials, sends AdmissionReviews as the API server does.
/// </summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private static readonly InstallValues Values = ValuesParser.Parse(Inject.GoldenSets);
    private static readonly MeshNames Names = new(Values);
    private readonly WebhookTlsMaterial _tls = InstallManifests.CreateTls(Values);
    private WebhookServer _server = null!;

    private const string PodJson = """
        {
          "apiVersion": "v1", "kind": "Pod",
          "metadata": {"generateName": "curl-7d9c-", "namespace": "curl", "labels": {"app": "curl"}, "annotations": {"note": "kept"}},
          "spec": {
            "serviceAccountName": "curl",
            "containers": [{"name": "curl", "image": "curlimages/curl", "command": ["sleep", "365d"]}],
            "volumes": [{"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}],
            "aFieldFromAFutureKubernetes": {"kept": true}
          }
        }
        """;

    public async Task InitializeAsync() =>
        _server = await WebhookServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0),
            ServingCertificate.FromPem(_tls.CertificatePem, _tls.PrivateKeyPem), () => InjectionSettings(), NullLoggerFactory.Instance, CancellationToken.None);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_pod_comes_back_as_a_json_patch_that_yields_what_mesh_inject_makes_and_keeps_every_other_field()
    {
        using var client = TrustingClient();
        var review = await SendAsync(client, Review(PodJson));
        var response = review.Response!;
        Assert.Equal("4b0a2c6e-uid", response.Uid);
        Assert.True(response.Allowed);
        Assert.Equal("JSONPatch", response.PatchType);

        // Apply the patch with an independent RFC 6902 implementation, to the pod as the API server holds it.
        var patch = JsonSerializer.Deserialize<JsonPatchDocument>(AdmissionHandler.DecodePatch(response))!;
        var pod = JsonNode.Parse(PodJson)!.AsObject();
        patch.ApplyTo(pod);
        Assert.True(pod["spec"]!["aFieldFromAFutureKubernetes"]!["kept"]!.GetValue<bool>());
        Assert.Equal("kept", pod["metadata"]!["annotations"]!["note"]!.GetValue<string>());
        Assert.Equal(["token", "mesh-proxy-tmp"], pod["spec"]!["volumes"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));

        var patched = KubernetesJson.Deserialize<V1Pod>(pod.ToJsonString());
        // mesh inject refuses fields its models do not know (it would drop them); the webhook need not, it only adds.
        var known = JsonNode.Parse(PodJson)!.AsObject();
        known["spec"]!.AsObject().Remove("aFieldFromAFutureKubernetes");
        var offline = KubernetesYaml.Deserialize<V1Pod>(Support.Inject.Run(known.ToJsonString(), Inject.GoldenSets).Yaml);
        Assert.Equal(KubernetesJson.Serialize(offline.Spec), KubernetesJson.Serialize(patched.Spec));
    }

    [Fact]
    public async Task A_pod_that_opted_out_or_is_already_injected_is_allowed_unchanged()
    {
        using var client = TrustingClient();
        var optedOut = PodJson.Replace("\"note\": \"kept\"", "\"openservicemesh.io/sidecar-injection\": \"disabled\"", StringComparison.Ordinal);
        var answer = (await SendAsync(client, Review(optedOut))).Response!;
        Assert.True(answer.Allowed);
        Assert.Null(answer.Patch);

        var injected = JsonNode.Parse(PodJson)!.AsObject();
        JsonSerializer.Deserialize<JsonPatchDocument>(AdmissionHandler.DecodePatch((await SendAsync(client, Review(PodJson))).Response!))!.ApplyTo(injected);
        var again = (await SendAsync(client, Review(injected.ToJsonString()))).Response!;
        Assert.True(again.Allowed);
        Assert.Null(again.Patch);
    }

    [Fact]
    public async Task A_pod_that_cannot_be_injected_as_it_is_is_refused_with_the_reason()
    {
        using var client = TrustingClient();
        var bad = PodJson.Replace("\"note\": \"kept\"", "\"openservicemesh.io/outbound-port-exclusion-list\": \"http\"", StringComparison.Ordinal);
        var answer = (await SendAsync(client, Review(bad))).Response!;
        Assert.False(answer.Allowed);
        Assert.Null(answer.Patch);
        Assert.Contains("openservicemesh.io/outbound-port-exclusion-list", answer.Status!.Message, StringComparison.Ordinal);
        Assert.Contains("curl", answer.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Something_that_is_not_an_admission_review_gets_400()
    {
        using var client = TrustingClient();
        using var response = await client.PostAsync(Url, new StringContent("{\"hello\": 1}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_installations_ca_cannot_talk_to_it()
    {
        using var client = Client(policy: null);
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(Url, new StringContent(Review(PodJson))));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(e.InnerException);

        // Nor one that trusts the CA but dials a name the certificate does not cover.
        using var otherName = Client(TrustOnly(_tls.LoadCaCertificate()));
        await Assert.ThrowsAsync<HttpRequestException>(() => otherName.PostAsync(
            new Uri($"https://kubernetes.default.svc:{_server.Endpoint.Port}{InjectionWebhook.Path}"), new StringContent(Review(PodJson))));
    }

    private Uri Url => new($"https://{Names.Injector}.{Names.Namespace}.svc:{_server.Endpoint.Port}{InjectionWebhook.Path}");

    private static Mesh.Deploy.Injection.InjectionSettings InjectionSettings() => Mesh.Deploy.Injection.InjectionSettings.From(Values);

    private HttpClient TrustingClient() => Client(TrustOnly(_tls.LoadCaCertificate()));

    private static X509ChainPolicy TrustOnly(X509Certificate2 ca)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(ca);
        return policy;
    }

    /// <summary>Dials the server's loopback port whatever the URL's host, so TLS sees the Service's DNS name, as the API server's does.</summary>
    private HttpClient Client(X509ChainPolicy? policy)
    {
        var endpoint = _server.Endpoint;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(endpoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private async Task<AdmissionReview> SendAsync(HttpClient client, string review)
    {
        using var response = await client.PostAsync(Url, new StringContent(review, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<AdmissionReview>();
        Assert.Equal(("admission.k8s.io/v1", "AdmissionReview"), (answer!.ApiVersion, answer.Kind));
        return answer;
    }

    private static string Review(string podJson) => $$"""
        {
          "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
          "request": {
            "uid": "4b0a2c6e-uid",
            "kind": {"group": "", "version": "v1", "kind": "Pod"},
            "resource": {"group": "", "version": "v1", "resource": "pods"},
            "namespace": "curl", "operation": "CREATE",
            "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller"},
            "object": {{podJson}},
            "oldObject": null, "dryRun": false
          }
        }
        """;
}
