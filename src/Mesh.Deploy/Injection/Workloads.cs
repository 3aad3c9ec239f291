using k8s;
using k8s.Models;

namespace Mesh.Deploy.Injection;

/// <summary>One kind that holds a pod (template): how to read it as a typed object and reach its pod's metadata and spec.</summary>
internal sealed record WorkloadKind(string ApiVersion, string Kind, Func<string, object> Load, Func<object, (V1ObjectMeta? Metadata, V1PodSpec? Spec)> Pod);

/// <summary>
/// The kinds <c>mesh inject</c> injects. They are read strictly: a field these Kubernetes models do not know is an
/// error naming it, rather than a field silently dropped from the user's manifest on the way through.
/// </summary>
internal static class Workloads
{
    public static IReadOnlyList<WorkloadKind> Kinds { get; } =
    [
        Kind<V1Pod>("v1", "Pod", p => (p.Metadata, p.Spec)),
        Kind<V1ReplicationController>("v1", "ReplicationController", w => (w.Spec?.Template?.Metadata, w.Spec?.Template?.Spec)),
        Kind<V1Deployment>("apps/v1", "Deployment", w => (w.Spec?.Template?.Metadata, w.Spec?.Template?.Spec)),
        Kind<V1StatefulSet>("apps/v1", "StatefulSet", w => (w.Spec?.Template?.Metadata, w.Spec?.Template?.Spec)),
        Kind<V1DaemonSet>("apps/v1", "DaemonSet", w => (w.Spec?.Template?.Metadata, w.Spec?.Template?.Spec)),
        Kind<V1ReplicaSet>("apps/v1", "ReplicaSet", w => (w.Spec?.Template?.Metadata, w.Spec?.Template?.Spec)),
        Kind<V1Job>("batch/v1", "Job", w => (w.Spec?.Template?.Metadata, w.Spec?.Template?.Spec)),
        Kind<V1CronJob>("batch/v1", "CronJob", w => (w.Spec?.JobTemplate?.Spec?.Template?.Metadata, w.Spec?.JobTemplate?.Spec?.Template?.Spec)),
    ];

    public static WorkloadKind? Find(string? apiVersion, string? kind) =>
        Kinds.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);

    private static WorkloadKind Kind<T>(string apiVersion, string kind, Func<T, (V1ObjectMeta?, V1PodSpec?)> pod)
        where T : class =>
        new(apiVersion, kind, yaml => KubernetesYaml.Deserialize<T>(yaml, strict: true), o => pod((T)o));
}
