using System.Text;
using k8s.Models;
using Mesh.Deploy.Tls;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// The sidecar injection webhook: the Secret with its serving certificate, and the MutatingWebhookConfiguration that
/// sends every pod created in an enrolled namespace (label <c>openservicemesh.io/monitored-by=MESH</c>) to it.
/// </summary>
internal static class InjectionWebhook
{
    public const string Path = "/inject";

    public static V1Secret Secret(MeshNames names, WebhookTlsMaterial tls) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "kubernetes.io/tls",
        Metadata = new V1ObjectMeta { Name = names.InjectorSecret, NamespaceProperty = names.Namespace, Labels = names.ComponentLabels(names.Injector) },
        Data = new Dictionary<string, byte[]>
        {
            ["tls.crt"] = Encoding.ASCII.GetBytes(tls.CertificatePem),
            ["tls.key"] = Encoding.ASCII.GetBytes(tls.PrivateKeyPem),
            ["ca.crt"] = Encoding.ASCII.GetBytes(tls.CaCertificatePem),
        },
    };

    /// <summary>
    /// failurePolicy Fail (the default of <c>webhook.failurePolicy</c>): a pod admitted without the webhook would run
    /// with no interception at all, its egress unmediated; refusing it until a controller answers is the closed way to
    /// fail. Its blast radius is kept small: only pods, only CREATE, only enrolled namespaces, never the mesh's own
    /// namespace nor kube-system (the controllers must be able to start while the webhook is down).
    /// </summary>
    public static V1MutatingWebhookConfiguration Configuration(InstallValues values, MeshNames names, WebhookTlsMaterial tls) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "MutatingWebhookConfiguration",
        Metadata = new V1ObjectMeta { Name = names.InjectorWebhookConfiguration, Labels = names.ComponentLabels(names.Injector) },
        Webhooks =
        [
            new V1MutatingWebhook
            {
                Name = names.InjectorWebhook,
                AdmissionReviewVersions = ["v1"],
                SideEffects = "None",
                FailurePolicy = values.WebhookFailurePolicy,
                TimeoutSeconds = values.WebhookTimeoutSeconds,
                ReinvocationPolicy = "Never", // the rules cover the whole pod network namespace, whatever is added later
                ClientConfig = new Admissionregistrationv1WebhookClientConfig
                {
                    Service = new Admissionregistrationv1ServiceReference { Name = names.Injector, NamespaceProperty = names.Namespace, Path = Path, Port = 443 },
                    CaBundle = Encoding.ASCII.GetBytes(tls.CaCertificatePem),
                },
                Rules =
                [
                    new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"], Operations = ["CREATE"], Scope = "Namespaced" },
                ],
                NamespaceSelector = new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string> { [MeshNames.MonitoredByLabel] = names.Mesh },
                    MatchExpressions =
                    [
                        new V1LabelSelectorRequirement
                        {
                            Key = "kubernetes.io/metadata.name",
                            OperatorProperty = "NotIn",
                            Values = [names.Namespace, "kube-system"],
                        },
                    ],
                },
            },
        ],
    };
}
