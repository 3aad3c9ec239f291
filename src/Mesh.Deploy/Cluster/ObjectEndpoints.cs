using k8s;
using k8s.Models;
using Mesh.Deploy.Manifests;
using static Mesh.Deploy.Cluster.ObjectEndpoint;

namespace Mesh.Deploy.Cluster;

/// <summary>
/// The typed operations for every kind of object an installation holds (<see cref="InstallManifests"/>). A kind
/// missing here is a programming error, caught by the tests that apply a whole installation.
/// </summary>
internal static class ObjectEndpoints
{
    /// <summary>Deleting a Deployment deletes its ReplicaSets and pods too, in the background, as kubectl does.</summary>
    private const string Background = "Background";

    public static ObjectEndpoint CustomResourceDefinitions { get; } = Cluster<V1CustomResourceDefinition>(
        "CustomResourceDefinition", "customresourcedefinitions.apiextensions.k8s.io",
        (k, name, ct) => k.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: ct),
        (k, patch, name, ct) => k.ApiextensionsV1.PatchCustomResourceDefinitionAsync(patch, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
        (k, name, ct) => k.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(name, propagationPolicy: Background, cancellationToken: ct));

    public static ObjectEndpoint Namespaces { get; } = Cluster<V1Namespace>(
        "Namespace", "namespaces",
        (k, name, ct) => k.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct),
        (k, patch, name, ct) => k.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
        (k, name, ct) => k.CoreV1.DeleteNamespaceAsync(name, propagationPolicy: Background, cancellationToken: ct));

    public static ObjectEndpoint Deployments { get; } = InNamespace<V1Deployment>(
        "Deployment", "deployments.apps",
        (k, ns, name, ct) => k.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct),
        (k, patch, ns, name, ct) => k.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        (k, ns, name, ct) => k.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, propagationPolicy: Background, cancellationToken: ct));

    public static ObjectEndpoint MeshConfigs { get; } = InNamespace<MeshConfigResource>(
        MeshConfigResource.Kind_, $"meshconfigs.{MeshConfigGroup}",
        (k, ns, name, ct) => k.CustomObjects.GetNamespacedCustomObjectAsync<MeshConfigResource>(MeshConfigGroup, MeshConfigVersion, ns, "meshconfigs", name, ct),
        (k, patch, ns, name, ct) => k.CustomObjects.PatchNamespacedCustomObjectAsync<MeshConfigResource>(
            patch, MeshConfigGroup, MeshConfigVersion, ns, "meshconfigs", name, fieldManager: FieldManager, force: true, cancellationToken: ct),
        (k, ns, name, ct) => k.CustomObjects.DeleteNamespacedCustomObjectAsync(MeshConfigGroup, MeshConfigVersion, ns, "meshconfigs", name,
            propagationPolicy: Background, cancellationToken: ct));

    public static ObjectEndpoint Secrets { get; } = InNamespace<V1Secret>(
        "Secret", "secrets",
        (k, ns, name, ct) => k.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct),
        (k, patch, ns, name, ct) => k.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
        (k, ns, name, ct) => k.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: ct));

    public static IReadOnlyList<ObjectEndpoint> All { get; } =
    [
        CustomResourceDefinitions,
        Namespaces,
        InNamespace<V1ServiceAccount>(
            "ServiceAccount", "serviceaccounts",
            (k, ns, name, ct) => k.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: ct),
            (k, patch, ns, name, ct) => k.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, ns, name, ct) => k.CoreV1.DeleteNamespacedServiceAccountAsync(name, ns, cancellationToken: ct)),
        Cluster<V1ClusterRole>(
            "ClusterRole", "clusterroles.rbac.authorization.k8s.io",
            (k, name, ct) => k.RbacAuthorizationV1.ReadClusterRoleAsync(name, cancellationToken: ct),
            (k, patch, name, ct) => k.RbacAuthorizationV1.PatchClusterRoleAsync(patch, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, name, ct) => k.RbacAuthorizationV1.DeleteClusterRoleAsync(name, cancellationToken: ct)),
        Cluster<V1ClusterRoleBinding>(
            "ClusterRoleBinding", "clusterrolebindings.rbac.authorization.k8s.io",
            (k, name, ct) => k.RbacAuthorizationV1.ReadClusterRoleBindingAsync(name, cancellationToken: ct),
            (k, patch, name, ct) => k.RbacAuthorizationV1.PatchClusterRoleBindingAsync(patch, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, name, ct) => k.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(name, cancellationToken: ct)),
        InNamespace<V1Role>(
            "Role", "roles.rbac.authorization.k8s.io",
            (k, ns, name, ct) => k.RbacAuthorizationV1.ReadNamespacedRoleAsync(name, ns, cancellationToken: ct),
            (k, patch, ns, name, ct) => k.RbacAuthorizationV1.PatchNamespacedRoleAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, ns, name, ct) => k.RbacAuthorizationV1.DeleteNamespacedRoleAsync(name, ns, cancellationToken: ct)),
        InNamespace<V1RoleBinding>(
            "RoleBinding", "rolebindings.rbac.authorization.k8s.io",
            (k, ns, name, ct) => k.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(name, ns, cancellationToken: ct),
            (k, patch, ns, name, ct) => k.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, ns, name, ct) => k.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(name, ns, cancellationToken: ct)),
        Secrets,
        MeshConfigs,
        InNamespace<V1ConfigMap>(
            "ConfigMap", "configmaps",
            (k, ns, name, ct) => k.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct),
            (k, patch, ns, name, ct) => k.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, ns, name, ct) => k.CoreV1.DeleteNamespacedConfigMapAsync(name, ns, cancellationToken: ct)),
        InNamespace<V1Service>(
            "Service", "services",
            (k, ns, name, ct) => k.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: ct),
            (k, patch, ns, name, ct) => k.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, ns, name, ct) => k.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: ct)),
        Deployments,
        InNamespace<V1PodDisruptionBudget>(
            "PodDisruptionBudget", "poddisruptionbudgets.policy",
            (k, ns, name, ct) => k.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, ns, cancellationToken: ct),
            (k, patch, ns, name, ct) => k.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, ns, name, ct) => k.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(name, ns, cancellationToken: ct)),
        Cluster<V1MutatingWebhookConfiguration>(
            "MutatingWebhookConfiguration", "mutatingwebhookconfigurations.admissionregistration.k8s.io",
            (k, name, ct) => k.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(name, cancellationToken: ct),
            (k, patch, name, ct) => k.AdmissionregistrationV1.PatchMutatingWebhookConfigurationAsync(patch, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
            (k, name, ct) => k.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(name, cancellationToken: ct)),
    ];

    private static string MeshConfigGroup => MeshConfigResource.DefaultApiVersion.Split('/')[0];

    private static string MeshConfigVersion => MeshConfigResource.DefaultApiVersion.Split('/')[1];

    public static ObjectEndpoint For(IKubernetesObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return All.FirstOrDefault(e => e.Type == o.GetType())
            ?? throw new InvalidOperationException($"mesh install cannot apply a {o.GetType().Name} ({o.ApiVersion} {o.Kind})");
    }
}
