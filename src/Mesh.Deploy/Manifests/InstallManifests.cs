using k8s;
using k8s.Models;
using Mesh.Deploy.Manifests.Crds;
using Mesh.Deploy.Tls;
using Mesh.Deploy.Values;

namespace Mesh.Deploy.Manifests;

/// <summary>
/// Every object of an installation, in the order to apply them: definitions before the objects that use them
/// (the CRDs must be established before the MeshConfig), permissions before the pods that need them, and the
/// webhook configuration last, once its Service and certificate exist (with failurePolicy Fail, an applier should
/// wait for the controllers to be ready before applying it, or pod creation in enrolled namespaces stalls meanwhile).
/// </summary>
internal static class InstallManifests
{
    public static IReadOnlyList<IKubernetesObject> Render(InstallValues values, WebhookTlsMaterial tls)
    {
        var names = new MeshNames(values);
        return
        [
            .. EgressCrd.Build(),
            HttpRouteGroupCrd.Build(),
            .. MeshConfigCrd.Build(),
            new V1Namespace
            {
                ApiVersion = "v1",
                Kind = "Namespace",
                Metadata = new V1ObjectMeta { Name = names.Namespace, Labels = names.InstanceLabels },
            },
            ControllerRbac.ServiceAccount(names),
            ControllerRbac.ClusterRole(names),
            ControllerRbac.ClusterRoleBinding(names),
            ControllerRbac.Role(names),
            ControllerRbac.RoleBinding(names),
            InjectionWebhook.Secret(names, tls),
            DefaultMeshConfig.Build(values, names),
            InstallValuesConfigMap.Build(values, names),
            ControllerServices.Headless(values, names),
            ControllerServices.Injector(names),
            ControllerDeployment.Build(values, names),
            ControllerDisruptionBudget.Build(names),
            InjectionWebhook.Configuration(values, names, tls),
        ];
    }

    /// <summary>The webhook certificate for these values, valid from now.</summary>
    public static WebhookTlsMaterial CreateTls(InstallValues values)
    {
        var names = new MeshNames(values);
        return WebhookCertificates.Create(names.Injector, names.InjectorDnsNames, DateTimeOffset.UtcNow);
    }
}
