namespace Mesh.FakeKubeApi.Resources;

/// <summary>
/// The built-in types the fake serves from the start: those Mesh's install and controller touch. Any other type
/// comes from a CustomResourceDefinition created in the fake, or <see cref="ResourceTypes.Register"/>.
/// </summary>
public static class BuiltInTypes
{
    public static ResourceType Namespaces { get; } = new("", ["v1"], "namespaces", "namespace", "Namespace", Namespaced: false, HasStatus: true, ["ns"]);

    public static ResourceType CustomResourceDefinitions { get; } =
        new("apiextensions.k8s.io", ["v1"], "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", Namespaced: false, HasStatus: true, ["crd", "crds"]);

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces,
        new("", ["v1"], "serviceaccounts", "serviceaccount", "ServiceAccount", Namespaced: true, ShortNames: ["sa"]),
        new("", ["v1"], "configmaps", "configmap", "ConfigMap", Namespaced: true, ShortNames: ["cm"]),
        new("", ["v1"], "secrets", "secret", "Secret", Namespaced: true),
        new("", ["v1"], "services", "service", "Service", Namespaced: true, HasStatus: true, ["svc"]),
        new("", ["v1"], "pods", "pod", "Pod", Namespaced: true, HasStatus: true, ["po"]),
        new("", ["v1"], "endpoints", "endpoints", "Endpoints", Namespaced: true, ShortNames: ["ep"]),
        new("", ["v1"], "events", "event", "Event", Namespaced: true, ShortNames: ["ev"]),
        new("apps", ["v1"], "deployments", "deployment", "Deployment", Namespaced: true, HasStatus: true, ["deploy"]),
        new("apps", ["v1"], "daemonsets", "daemonset", "DaemonSet", Namespaced: true, HasStatus: true, ["ds"]),
        new("rbac.authorization.k8s.io", ["v1"], "clusterroles", "clusterrole", "ClusterRole", Namespaced: false),
        new("rbac.authorization.k8s.io", ["v1"], "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", Namespaced: false),
        new("rbac.authorization.k8s.io", ["v1"], "roles", "role", "Role", Namespaced: true),
        new("rbac.authorization.k8s.io", ["v1"], "rolebindings", "rolebinding", "RoleBinding", Namespaced: true),
        new("coordination.k8s.io", ["v1"], "leases", "lease", "Lease", Namespaced: true),
        new("admissionregistration.k8s.io", ["v1"], "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", "MutatingWebhookConfiguration", Namespaced: false),
        new("admissionregistration.k8s.io", ["v1"], "validatingwebhookconfigurations", "validatingwebhookconfiguration", "ValidatingWebhookConfiguration", Namespaced: false),
        new("policy", ["v1"], "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", Namespaced: true, HasStatus: true, ["pdb"]),
        CustomResourceDefinitions,
    ];
}
