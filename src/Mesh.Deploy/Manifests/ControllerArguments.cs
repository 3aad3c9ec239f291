using System.Globalization;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// The command line of a controller pod: <c>mesh controller</c> (issue 16) reading the Kubernetes API, joining the
/// other replicas through the headless Service, and serving the injection webhook with the Secret's certificate.
/// This is the contract between the manifests and the controller's flags; keep both sides in step.
/// </summary>
internal static class ControllerArguments
{
    public const string ConfigFile = "/etc/mesh/mesh.conf";
    public const string WebhookCertificateDirectory = "/etc/mesh/webhook";
    public const string InstallValuesDirectory = "/etc/mesh/install";

    public static List<string> Build(InstallValues values, MeshNames names) =>
    [
        "controller",
        "--config", ConfigFile,
        "--kubernetes",
        "--mesh-config", $"{names.Namespace}/{MeshNames.MeshConfig}",
        // The label value of enrolled namespaces (openservicemesh.io/monitored-by), as the injection webhook selects them.
        "--mesh-name", names.Mesh,
        "--cluster-port", Text(values.ControllerClusterPort),
        "--seed-nodes", names.ControllerContactPoints,
        "--admin", $"0.0.0.0:{Text(values.ControllerAdminPort)}",
        "--webhook", $"0.0.0.0:{Text(values.ControllerWebhookPort)}",
        "--webhook-certificate", $"{WebhookCertificateDirectory}/tls.crt",
        "--webhook-key", $"{WebhookCertificateDirectory}/tls.key",
        // What to inject: the same values `mesh inject` takes (Mesh.Deploy.Values.ValuesFile).
        "--install-values", $"{InstallValuesDirectory}/{InstallValuesConfigMap.Key}",
    ];

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
